import { add, eye, matmul, mT, mul, reshape, ShapeError, type Tensor, tensor, ValueError, zeros } from "@x/tensor";
import { arbLowRank, arbMatrix, arbOrthogonal, close, expectClose } from "@x/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cond } from "../src/dense/cond.js";
import { eig } from "../src/dense/eig.js";
import { eigh, eigvalsh } from "../src/dense/eigh.js";
import { matrixNorm } from "../src/dense/matrix-norm.js";
import { matrixRank } from "../src/dense/matrix-rank.js";
import { pinv } from "../src/dense/pinv.js";
import { svd, svdvals } from "../src/dense/svd.js";
import fx from "./fixtures/linalg-spectral.json";

const T = (x: unknown) => tensor(x as number[][]);
const TOL = { rtol: 1e-9, atol: 1e-10 };
const RUNS = { numRuns: 20 };
const arbN = fc.integer({ min: 1, max: 6 });
const arbSym = arbN.chain((n) => arbMatrix(n, n)).map((b) => mul(0.5, add(b, mT(b))));
const arbMN = fc
  .tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }))
  .chain(([m, n]) => arbMatrix(m, n));
/** Entries on a 1/64 grid: no subnormal singular values, whose reciprocals overflow (as in numpy). */
const grid = (a: Tensor) =>
  tensor(
    Array.from(a.data, (x) => Math.round(x * 64) / 64),
    [...a.shape],
  );
/** Q·diag(d)·Qᵀ with prescribed (here: clustered and repeated) eigenvalues. */
const arbSymSpectrum = arbN.chain((n) =>
  fc.tuple(arbOrthogonal(n), fc.array(fc.constantFrom(-2, 0, 1, 1, 3), { minLength: n, maxLength: n })),
);

const vecMat = (d: Tensor) => mul(reshape(d, [1, -1]), eye(d.shape[0]!));
function expectOrthonormalCols(q: Tensor, label: string) {
  const k = q.shape[q.rank - 1]!;
  expectClose(matmul(mT(q), q), eye(k), { rtol: 0, atol: 1e-12 }, label);
}
const sorted = (x: ArrayLike<number>, desc = false) => Array.from(x).sort((a, b) => (desc ? b - a : a - b));

describe("eigh / eigvalsh", () => {
  it("A = V·diag(λ)·Vᵀ, VᵀV = I, λ ascending; eigvalsh agrees", () => {
    fc.assert(
      fc.property(arbSym, (a) => {
        const { values, vectors } = eigh(a);
        expectClose(matmul(vectors, matmul(vecMat(values), mT(vectors))), a, { rtol: 1e-12, atol: 1e-12 });
        expectOrthonormalCols(vectors, "VᵀV");
        expect(Array.from(values.data)).toEqual(sorted(values.data));
        expectClose(eigvalsh(a), values, { rtol: 1e-12, atol: 1e-12 });
      }),
      RUNS,
    );
  });
  it("repeated eigenvalues: spectrum recovered and V still orthonormal", () => {
    fc.assert(
      fc.property(arbSymSpectrum, ([q, d]) => {
        const a = matmul(q, matmul(vecMat(tensor(d)), mT(q)));
        const { values, vectors } = eigh(a, { uplo: "L" });
        expectClose(values, tensor(sorted(d)), { rtol: 1e-12, atol: 1e-12 });
        expectOrthonormalCols(vectors, "VᵀV");
      }),
      RUNS,
    );
  });
  it("matches numpy.linalg.eigh (values, sign-normalised vectors, UPLO, batched)", () => {
    for (const c of fx.eigh) {
      const r = eigh(T(c.a));
      expectClose(r.values, T(c.values), TOL, "values");
      expectClose(r.vectors, T(c.vectors), TOL, "vectors");
    }
    for (const c of [fx.eighUpper, fx.eighLower]) {
      const r = eigh(T(c.a), { uplo: c.uplo as "L" | "U" });
      expectClose(r.values, T(c.values), TOL, `values ${c.uplo}`);
      expectClose(r.vectors, T(c.vectors), TOL, `vectors ${c.uplo}`);
    }
    const b = eigh(T(fx.eighBatched.a));
    expectClose(b.values, T(fx.eighBatched.values), TOL, "batched values");
    expectClose(b.vectors, T(fx.eighBatched.vectors), TOL, "batched vectors");
  });
  it("bad input: non-square, NaN, non-symmetric without uplo, bad uplo", () => {
    expect(() => eigh([[1, 2, 3]])).toThrow(ShapeError);
    expect(() =>
      eigvalsh([
        [1, Number.NaN],
        [Number.NaN, 1],
      ]),
    ).toThrow(/NaN|finite/i);
    expect(() =>
      eigh([
        [1, 2],
        [0, 1],
      ]),
    ).toThrow(ValueError);
    expect(() =>
      eigh(
        [
          [1, 2],
          [0, 1],
        ],
        { uplo: "X" as "L" },
      ),
    ).toThrow(ValueError);
    // With uplo the other triangle is ignored.
    expectClose(
      eigvalsh(
        [
          [1, 2],
          [0, 1],
        ],
        { uplo: "L" },
      ),
      [1, 1],
      TOL,
    );
  });
});

describe("svd / svdvals", () => {
  it("A = U·diag(s)·Vᵀ with orthonormal U, V and s descending ≥ 0 (any m×n)", () => {
    fc.assert(
      fc.property(arbMN, (a) => {
        const { u, s, vt } = svd(a);
        expectClose(matmul(mul(u, reshape(s, [1, -1])), vt), a, { rtol: 1e-12, atol: 1e-12 });
        expectOrthonormalCols(u, "UᵀU");
        expectOrthonormalCols(mT(vt), "VᵀV");
        expect(Array.from(s.data)).toEqual(sorted(s.data, true));
        expect(Math.min(...s.data)).toBeGreaterThanOrEqual(0);
        expectClose(svdvals(a), s, { rtol: 1e-12, atol: 1e-12 });
        expectClose(svd(a, { computeUV: false }).s, s, { rtol: 1e-12, atol: 1e-12 });
      }),
      RUNS,
    );
  });
  it("fullMatrices: square orthogonal U, Vᵀ; rank-deficient inputs still give orthonormal factors", () => {
    fc.assert(
      fc.property(
        fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 })).chain(([m, n]) => arbLowRank(m, n, 1)),
        (a) => {
          const [m, n] = a.shape as [number, number];
          const { u, s, vt } = svd(a, { fullMatrices: true });
          expect(u.shape).toEqual([m, m]);
          expect(vt.shape).toEqual([n, n]);
          expectOrthonormalCols(u, "UᵀU");
          expectOrthonormalCols(mT(vt), "VVᵀ");
          const k = Math.min(m, n);
          const sig = new Float64Array(m * n);
          for (let i = 0; i < k; i++) sig[i * n + i] = s.data[i]!;
          expectClose(matmul(u, matmul(tensor(sig, [m, n]), vt)), a, { rtol: 1e-12, atol: 1e-12 });
          const thin = svd(a);
          expectOrthonormalCols(thin.u, "thin UᵀU");
          expectOrthonormalCols(mT(thin.vt), "thin VVᵀ");
        },
      ),
      RUNS,
    );
  });
  it("matches numpy.linalg.svd (sign-normalised, tall/wide/batched)", () => {
    for (const c of [...fx.svd, fx.svdBatched]) {
      const r = svd(T(c.a));
      expectClose(r.s, T(c.s), TOL, "s");
      expectClose(r.u, T(c.u), TOL, "u");
      expectClose(r.vt, T(c.vt), TOL, "vt");
    }
  });
  it("bad input: vector, Inf", () => {
    expect(() => svd([1, 2, 3])).toThrow(ShapeError);
    expect(() => svdvals([[1, Number.POSITIVE_INFINITY]])).toThrow(/Inf|finite/i);
  });
});

describe("eig", () => {
  it("a symmetric matrix: eig equals eigh, imaginary parts 0", () => {
    fc.assert(
      fc.property(arbSym, (a) => {
        const r = eig(a);
        expectClose(r.real, eigvalsh(a), { rtol: 1e-10, atol: 1e-10 });
        expectClose(r.imag, tensor(new Float64Array(a.shape[0]!)), { rtol: 0, atol: 1e-10 });
      }),
      RUNS,
    );
  });
  it("trace and determinant identities: Σλ = tr A, Πλ = det A (complex product)", () => {
    fc.assert(
      fc.property(
        arbN.chain((n) => arbMatrix(n, n)),
        (a) => {
          const n = a.shape[0]!;
          const { real, imag } = eig(a);
          let tr = 0;
          for (let i = 0; i < n; i++) tr += a.data[i * n + i]!;
          expect(
            close(
              real.data.reduce((p, x) => p + x, 0),
              tr,
              { rtol: 1e-9, atol: 1e-9 },
            ),
          ).toBe(true);
          expect(Math.abs(imag.data.reduce((p, x) => p + x, 0))).toBeLessThan(1e-9);
          let pr = 1;
          let pi = 0;
          for (let i = 0; i < n; i++)
            [pr, pi] = [pr * real.data[i]! - pi * imag.data[i]!, pr * imag.data[i]! + pi * real.data[i]!];
          // det by Gaussian elimination with partial pivoting
          const m = Float64Array.from(a.data);
          let det = 1;
          for (let k = 0; k < n; k++) {
            let p = k;
            for (let i = k + 1; i < n; i++) if (Math.abs(m[i * n + k]!) > Math.abs(m[p * n + k]!)) p = i;
            if (p !== k) {
              det = -det;
              for (let j = 0; j < n; j++) [m[k * n + j], m[p * n + j]] = [m[p * n + j]!, m[k * n + j]!];
            }
            const piv = m[k * n + k]!;
            det *= piv;
            if (piv === 0) break;
            for (let i = k + 1; i < n; i++) {
              const f = m[i * n + k]! / piv;
              for (let j = k; j < n; j++) m[i * n + j]! -= f * m[k * n + j]!;
            }
          }
          expect(close(pr, det, { rtol: 1e-8, atol: 1e-8 })).toBe(true);
          expect(Math.abs(pi)).toBeLessThan(1e-8 * Math.max(1, Math.abs(det)));
        },
      ),
      RUNS,
    );
  });
  it("companion matrix: eigenvalues are the polynomial's roots", () => {
    const r = eig(T(fx.companion.a));
    expectClose(r.real, T(fx.companion.roots), { rtol: 1e-10, atol: 1e-10 });
    expectClose(r.imag, [0, 0, 0, 0, 0], { rtol: 0, atol: 1e-10 });
    // x² + 1: roots ±i.
    const c = eig([
      [0, -1],
      [1, 0],
    ]);
    expectClose(c.real, [0, 0], { atol: 1e-14 });
    expectClose(c.imag, [-1, 1], TOL);
  });
  it("matches numpy.linalg.eigvals (sorted, complex pairs, batched)", () => {
    for (const c of [...fx.eig, fx.eigBatched]) {
      const r = eig(T(c.a));
      expectClose(r.real, T(c.real), TOL, "real");
      expectClose(r.imag, T(c.imag), TOL, "imag");
    }
  });
  it("eigenvectors: A·v = λ·v (complex), unit norm; symmetric case equals eigh's vectors", () => {
    fc.assert(
      fc.property(
        arbN.chain((n) => arbMatrix(n, n, { min: -1, max: 1 }).map(grid)),
        (a) => {
          const n = a.shape[0]!;
          const { real, imag, vectorsReal: vr, vectorsImag: vi } = eig(a, { vectors: true });
          if (!vr || !vi) throw new Error("vectors missing");
          // Skip (nearly) defective matrices: inverse iteration is only accurate for separated eigenvalues.
          for (let i = 0; i < n; i++) {
            for (let j = 0; j < i; j++) {
              if (Math.hypot(real.data[i]! - real.data[j]!, imag.data[i]! - imag.data[j]!) < 1e-3) return;
            }
          }
          for (let k = 0; k < n; k++) {
            let nn = 0;
            for (let r = 0; r < n; r++) {
              let sr = 0;
              let si = 0;
              for (let c = 0; c < n; c++) {
                sr += a.data[r * n + c]! * vr.data[c * n + k]!;
                si += a.data[r * n + c]! * vi.data[c * n + k]!;
              }
              const lr = real.data[k]!;
              const li = imag.data[k]!;
              const xr = vr.data[r * n + k]!;
              const xi = vi.data[r * n + k]!;
              expect(Math.abs(sr - (lr * xr - li * xi))).toBeLessThan(1e-10);
              expect(Math.abs(si - (lr * xi + li * xr))).toBeLessThan(1e-10);
              nn += xr * xr + xi * xi;
            }
            expect(close(nn, 1, { rtol: 1e-12 })).toBe(true);
          }
        },
      ),
      RUNS,
    );
    const s = tensor([
      [2, 1, 0],
      [1, 3, 1],
      [0, 1, 4],
    ]);
    const e = eig(s, { vectors: true });
    expectClose(e.vectorsReal!, eigh(s).vectors, TOL);
    expectClose(e.vectorsImag!, tensor(new Float64Array(9), [3, 3]), { atol: 1e-12 });
  });
  it("eigenvectors match numpy.linalg.eig (phase-normalised)", () => {
    for (const c of fx.eigVectors) {
      const r = eig(T(c.a), { vectors: true });
      expectClose(r.real, T(c.real), TOL, "real");
      expectClose(r.imag, T(c.imag), TOL, "imag");
      expectClose(r.vectorsReal!, T(c.vectorsReal), { rtol: 1e-8, atol: 1e-9 }, "vectorsReal");
      expectClose(r.vectorsImag!, T(c.vectorsImag), { rtol: 1e-8, atol: 1e-9 }, "vectorsImag");
    }
  });
  it("bad input: non-square, NaN", () => {
    expect(() =>
      eig([
        [1, 2, 3],
        [4, 5, 6],
      ]),
    ).toThrow(ShapeError);
    expect(() => eig([[Number.NaN]])).toThrow(/NaN|finite/i);
  });
});

describe("pinv", () => {
  it("Penrose conditions (incl. rank-deficient)", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          arbMN.map(grid),
          fc
            .tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }))
            .chain(([m, n]) => arbLowRank(m, n, 1).map(grid)),
        ),
        (a) => {
          const p = pinv(a);
          // Tolerances scale with the magnitudes involved (fast-check also draws tiny entries).
          const scale = (t: Tensor) => ({ rtol: 1e-9, atol: 1e-9 * Math.max(...Array.from(t.data, Math.abs)) });
          const tol = { rtol: 1e-9, atol: 1e-9 };
          expectClose(matmul(a, matmul(p, a)), a, scale(a), "A A⁺ A = A");
          expectClose(matmul(p, matmul(a, p)), p, scale(p), "A⁺ A A⁺ = A⁺");
          const ap = matmul(a, p);
          const pa = matmul(p, a);
          expectClose(ap, mT(ap), tol, "A A⁺ symmetric");
          expectClose(pa, mT(pa), tol, "A⁺ A symmetric");
        },
      ),
      RUNS,
    );
  });
  it("matches numpy.linalg.pinv (wide, tall, rank-deficient, batched)", () => {
    for (const c of [...fx.pinv, fx.pinvBatched]) expectClose(pinv(T(c.a)), T(c.pinv), TOL);
  });
  it("bad input: negative rtol, NaN", () => {
    expect(() => pinv([[1, 2]], { rtol: -1 })).toThrow(ValueError);
    expect(() => pinv([[Number.NaN, 2]])).toThrow(/NaN|finite/i);
  });
});

describe("cond, matrixRank, matrixNorm", () => {
  it("rank of a rank-≤r product is ≤ r; cond₂ ≥ 1; ‖A‖₂ ≤ ‖A‖_F ≤ ‖A‖_*", () => {
    fc.assert(
      fc.property(
        fc
          .tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 3 }))
          .chain(([m, n, r]) => fc.tuple(arbLowRank(m, n, r), fc.constant(r))),
        ([a, r]) => {
          expect(matrixRank(a).item()).toBeLessThanOrEqual(r);
          const two = matrixNorm(a, 2).item();
          const fro = matrixNorm(a, "fro").item();
          const nuc = matrixNorm(a, "nuc").item();
          expect(two).toBeLessThanOrEqual(fro * (1 + 1e-12) + 1e-15);
          expect(fro).toBeLessThanOrEqual(nuc * (1 + 1e-12) + 1e-15);
        },
      ),
      RUNS,
    );
    fc.assert(
      fc.property(arbMN, (a) => {
        expect(cond(a).item()).toBeGreaterThanOrEqual(1 - 1e-12);
      }),
      RUNS,
    );
  });
  it("cond of an all-zero matrix is Infinity for p = ±2, like numpy.linalg.cond (regression: was 0/0 = NaN)", () => {
    for (const shape of [
      [1, 1],
      [2, 3],
    ]) {
      const z = zeros(shape);
      expect(cond(z).item()).toBe(Number.POSITIVE_INFINITY);
      expect(cond(z, -2).item()).toBe(Number.POSITIVE_INFINITY);
    }
  });
  it("matches numpy.linalg.cond / matrix_rank / norm (all orders, batched)", () => {
    const ord = (o: string) =>
      o === "inf" ? Infinity : o === "-inf" ? -Infinity : o === "fro" || o === "nuc" ? o : Number(o);
    for (const [o, v] of Object.entries(fx.cond.values)) {
      expect(close(cond(T(fx.cond.a), ord(o) as 2).item(), v, { rtol: 1e-9 }), `cond ${o}`).toBe(true);
    }
    expectClose(cond(T(fx.condBatched.a)), T(fx.condBatched.cond), TOL);
    for (const c of fx.rank) expect(matrixRank(T(c.a)).item()).toBe(c.rank);
    expectClose(matrixRank(T(fx.rankBatched.a)), T(fx.rankBatched.rank), TOL);
    for (const [o, v] of Object.entries(fx.norm.values)) {
      expect(close(matrixNorm(T(fx.norm.a), ord(o) as 2).item(), v, { rtol: 1e-12 }), `norm ${o}`).toBe(true);
    }
    expectClose(matrixNorm(T(fx.normBatched.a), "nuc"), T(fx.normBatched.nuc), TOL);
    // Explicit tolerances.
    expect(
      matrixRank(
        [
          [1, 0],
          [0, 1e-3],
        ],
        { tol: 1e-2 },
      ).item(),
    ).toBe(1);
    expect(
      matrixRank(
        [
          [1, 0],
          [0, 1e-3],
        ],
        { rtol: 1e-4 },
      ).item(),
    ).toBe(2);
  });
  it("bad input: unknown ord, non-square cond in p = 1, negative tol", () => {
    expect(() => matrixNorm([[1, 2]], 3 as 2)).toThrow(ValueError);
    expect(() => cond([[1, 2]], 1)).toThrow(ValueError);
    expect(() => matrixRank([[1, 2]], { tol: -1 })).toThrow(ValueError);
  });
});
