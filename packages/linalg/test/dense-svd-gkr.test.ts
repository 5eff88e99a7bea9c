import { eye, matmul, mT, mul, reshape, type Tensor, tensor, ValueError } from "@x/tensor";
import { arbLowRank, arbMatrix, expectClose } from "@x/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { eigvalsh } from "../src/dense/eigh.js";
import { svd, svdvals } from "../src/dense/svd.js";
import fx from "./fixtures/linalg-spectral.json";

const T = (x: unknown) => tensor(x as number[][]);

/** m×n matrix from a small LCG: cheap for sizes where per-entry arbitraries are slow. */
function lcgMatrix(m: number, n: number, seed: number, scale = 1): Tensor {
  let s = seed >>> 0 || 1;
  const d = Float64Array.from({ length: m * n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return scale * (s / 2 ** 32 - 0.5);
  });
  return tensor(d, [m, n]);
}

const maxAbs = (t: Tensor) => t.data.reduce((p, x) => Math.max(p, Math.abs(x)), 0);

/** ‖QᵀQ − I‖ ≤ tol for the columns of q. */
function expectOrthonormalCols(q: Tensor, tol: number, label: string) {
  const k = q.shape[q.rank - 1]!;
  expectClose(matmul(mT(q), q), eye(k), { rtol: 0, atol: tol }, label);
}

/** The SVD invariants: orthonormal factors, reconstruction, s sorted, s² = eig(AᵀA). */
function checkSvd(a: Tensor, method: "gkr" | "jacobi" = "gkr") {
  const [m, n] = a.shape.slice(-2) as [number, number];
  const k = Math.min(m, n);
  const scale = Math.max(1, maxAbs(a));
  const tol = 1e-13 * Math.max(m, n);
  const { u, s, vt } = svd(a, { method });
  expect(u.shape).toEqual([m, k]);
  expect(vt.shape).toEqual([k, n]);
  expectOrthonormalCols(u, tol, "UᵀU");
  expectOrthonormalCols(mT(vt), tol, "VᵀV");
  expectClose(matmul(mul(u, reshape(s, [1, -1])), vt), a, { rtol: 0, atol: tol * scale }, "U·Σ·Vᵀ");
  const sv = Array.from(s.data);
  for (let i = 1; i < k; i++) expect(sv[i]!).toBeLessThanOrEqual(sv[i - 1]!);
  expect(Math.min(...sv)).toBeGreaterThanOrEqual(0);
  for (const x of sv) expect(Object.is(x, -0)).toBe(false);
  // s_i² are the k largest eigenvalues of the smaller Gram matrix (eigvalsh ascending); squares compare
  // with an absolute error ∝ ‖A‖², a true bound for both algorithms.
  const gram = m >= n ? matmul(mT(a), a) : matmul(a, mT(a));
  const lam = Array.from(eigvalsh(gram).data).reverse();
  const s0 = sv[0] ?? 0;
  for (let i = 0; i < k; i++) expect(Math.abs(sv[i]! ** 2 - lam[i]!)).toBeLessThanOrEqual(1e-12 * (s0 * s0 + 1e-300));
  return { u, s, vt };
}

describe("svd, Golub–Kahan–Reinsch (default method)", () => {
  it("orthonormal U, V; A = UΣVᵀ; s descending and s² = eigvalsh(AᵀA) (small m×n)", () => {
    fc.assert(
      fc.property(
        fc.tuple(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 7 })).chain(([m, n]) => arbMatrix(m, n)),
        (a) => {
          checkSvd(a);
        },
      ),
    );
  });

  it("the same invariants on larger tall, square and wide matrices (bulge chases in both directions)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 45 }),
        fc.integer({ min: 2, max: 45 }),
        fc.integer({ min: 1, max: 2 ** 31 }),
        (m, n, seed) => {
          checkSvd(lcgMatrix(m, n, seed));
        },
      ),
      { numRuns: 15 },
    );
  });

  it("agrees with the Jacobi method on singular values and (distinct values) on the vectors", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 2 ** 31 }),
        (m, n, seed) => {
          const a = lcgMatrix(m, n, seed);
          const g = svd(a);
          const j = svd(a, { method: "jacobi" });
          const s0 = g.s.data[0]!;
          expectClose(g.s, j.s, { rtol: 0, atol: 1e-13 * Math.max(m, n) * s0 }, "s");
          expectClose(svdvals(a), g.s, { rtol: 0, atol: 1e-14 * s0 }, "svdvals");
          expectClose(svdvals(a, { method: "jacobi" }), j.s, { rtol: 0, atol: 1e-14 * s0 }, "svdvals jacobi");
          // Vectors are unique up to sign (fixed by the same convention) when the gaps are not tiny.
          const sv = g.s.data;
          let gap = Number.POSITIVE_INFINITY;
          for (let i = 1; i < sv.length; i++) gap = Math.min(gap, sv[i - 1]! - sv[i]!);
          if (sv.length > 0 && sv[sv.length - 1]! > 1e-3 * s0 && gap > 1e-3 * s0) {
            expectClose(g.u, j.u, { rtol: 0, atol: 1e-8 }, "u");
            expectClose(g.vt, j.vt, { rtol: 0, atol: 1e-8 }, "vt");
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it("rank-deficient, zero, orthogonal (all s = 1) and fullMatrices inputs", () => {
    fc.assert(
      fc.property(
        fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 2 })),
        fc.integer({ min: 1, max: 2 ** 31 }),
        ([m, n, r], seed) => {
          const a =
            r === 0
              ? tensor(new Float64Array(m * n), [m, n])
              : matmul(lcgMatrix(m, r, seed), lcgMatrix(r, n, seed + 1));
          const { s } = checkSvd(a);
          const k = Math.min(m, n);
          for (let i = r; i < k; i++) expect(s.data[i]!).toBeLessThanOrEqual(1e-14 * Math.max(1, s.data[0]!));
          const f = svd(a, { fullMatrices: true });
          expectOrthonormalCols(f.u, 1e-13, "full U");
          expectOrthonormalCols(mT(f.vt), 1e-13, "full V");
          const sig = new Float64Array(m * n);
          for (let i = 0; i < k; i++) sig[i * n + i] = f.s.data[i]!;
          expectClose(matmul(f.u, matmul(tensor(sig, [m, n]), f.vt)), a, { rtol: 0, atol: 1e-13 });
        },
      ),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 6 }).chain((n) => arbLowRank(n + 2, n, 1)),
        (a) => {
          checkSvd(a);
        },
      ),
      { numRuns: 20 },
    );
    const q = svd(lcgMatrix(12, 12, 5)).u;
    const sq = svd(q).s;
    expectClose(sq, tensor(new Float64Array(12).fill(1)), { rtol: 0, atol: 1e-13 }, "s of an orthogonal matrix");
    checkSvd(q);
  });

  it("graded bidiagonal input keeps relative accuracy: Σ log s = Σ log |d| (Demmel–Kahan)", () => {
    // For a bidiagonal B, Π s_i = |det B| = Π |d_i| exactly; an algorithm with only absolute accuracy
    // would get the tiny values (down to ~1e-30 here) wrong by orders of magnitude.
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 9 }),
        fc.double({ min: -3.5, max: 3.5, noNaN: true }),
        fc.integer({ min: 1, max: 2 ** 31 }),
        (n, grade, seed) => {
          const r = lcgMatrix(2, n, seed).data;
          const b = new Float64Array(n * n);
          let logDet = 0;
          for (let i = 0; i < n; i++) {
            const d = (1 + Math.abs(r[i]!)) * 10 ** (-grade * i);
            b[i * n + i] = r[i]! < 0 ? -d : d;
            logDet += Math.log(d);
            if (i + 1 < n) b[i * n + i + 1] = (0.5 + r[n + i]!) * 10 ** (-grade * i);
          }
          const s = svdvals(tensor(b, [n, n])).data;
          let logS = 0;
          for (const x of s) logS += Math.log(x);
          expect(Math.abs(logS - logDet)).toBeLessThan(1e-11 * n);
          const { u, vt } = svd(tensor(b, [n, n]));
          expectOrthonormalCols(u, 1e-13, "UᵀU graded");
          expectOrthonormalCols(mT(vt), 1e-13, "VᵀV graded");
        },
      ),
      { numRuns: 40 },
    );
  });

  it("batched: each matrix of a [2, 3, m, n] batch is decomposed on its own", () => {
    const a = reshape(lcgMatrix(6 * 7, 4, 11), [2, 3, 7, 4]);
    const { u, s, vt } = svd(a);
    expect(u.shape).toEqual([2, 3, 7, 4]);
    expect(s.shape).toEqual([2, 3, 4]);
    expect(vt.shape).toEqual([2, 3, 4, 4]);
    const flat = a.data;
    for (let b = 0; b < 6; b++) {
      const one = svd(tensor(flat.slice(b * 28, (b + 1) * 28), [7, 4]));
      expectClose(tensor(s.data.slice(b * 4, b * 4 + 4)), one.s, { rtol: 0, atol: 1e-15 });
      expectClose(tensor(u.data.slice(b * 28, b * 28 + 28)), reshape(one.u, [-1]), { rtol: 0, atol: 1e-15 });
    }
  });

  it("matches numpy.linalg.svd fixtures with both methods", () => {
    const TOL = { rtol: 1e-9, atol: 1e-10 };
    for (const method of ["gkr", "jacobi"] as const) {
      for (const c of [...fx.svd, fx.svdBatched]) {
        const r = svd(T(c.a), { method });
        expectClose(r.s, T(c.s), TOL, `${method} s`);
        expectClose(r.u, T(c.u), TOL, `${method} u`);
        expectClose(r.vt, T(c.vt), TOL, `${method} vt`);
      }
    }
  });

  it("bad method name is a ValueError", () => {
    expect(() => svd([[1, 2]], { method: "qr" as "gkr" })).toThrow(ValueError);
  });
});
