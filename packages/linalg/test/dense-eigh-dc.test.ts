import { eye, matmul, mT, mul, reshape, type Tensor, tensor } from "@x/tensor";
import { expectClose } from "@x/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { eigh, eigvalsh } from "../src/dense/eigh.js";
import { applyQ, sytrd } from "../src/dense/sytrd-blocked.js";
import { stedc } from "../src/dense/tridiagonal-dc.js";
import { tql2 } from "../src/dense/tridiagonal-ql.js";
import fx from "./fixtures/linalg-large.json";

const T = (x: unknown) => tensor(x as number[][]);
const maxAbs = (x: ArrayLike<number>) => Array.from(x).reduce((p, v) => Math.max(p, Math.abs(v)), 0);

/** n×n symmetric matrix from a small LCG: cheap at sizes where per-entry arbitraries are slow. */
function lcgSym(n: number, seed: number): Tensor {
  let s = seed >>> 0 || 1;
  const b = Float64Array.from({ length: n * n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  });
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = b[i * n + j]! + b[j * n + i]!;
  return tensor(a, [n, n]);
}

/** Dense T from (d, e). */
function tridiag(d: number[], e: number[]): Float64Array {
  const n = d.length;
  const t = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    t[i * n + i] = d[i]!;
    if (i + 1 < n) t[i * n + i + 1] = t[(i + 1) * n + i] = e[i]!;
  }
  return t;
}

/** Tridiagonals: random, and from small value sets (repeated values, zero / tiny couplings → deflation). */
const arbTridiag = fc
  .integer({ min: 1, max: 40 })
  .chain((n) =>
    fc.tuple(
      fc.oneof(
        fc.array(fc.double({ min: -4, max: 4, noNaN: true }), { minLength: n, maxLength: n }),
        fc.array(fc.constantFrom(-1, 0, 1, 1, 2), { minLength: n, maxLength: n }),
      ),
      fc.oneof(
        fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: n, maxLength: n }),
        fc.array(fc.constantFrom(0, 1e-12, -1e-9, 1, 1, -1, 0.5), { minLength: n, maxLength: n }),
      ),
    ),
  );

describe("tridiagonal divide and conquer (stedc)", () => {
  it("T·Z = Z·Λ, ZᵀZ = I, λ ascending and equal to the QL eigenvalues, for leaves of 1–4", () => {
    fc.assert(
      fc.property(arbTridiag, fc.integer({ min: 1, max: 4 }), ([d, e], leaf) => {
        const n = d.length;
        const t = tridiag(d, e);
        const scale = Math.max(1, maxAbs(t));
        const dd = Float64Array.from(d);
        const z = stedc(dd, Float64Array.from(e), n, leaf);
        const Z = tensor(z, [n, n]);
        const tol = 1e-14 * (n + 4);
        expectClose(matmul(mT(Z), Z), eye(n), { rtol: 0, atol: tol }, "ZᵀZ");
        const TZ = matmul(tensor(t, [n, n]), Z);
        expectClose(TZ, mul(Z, reshape(tensor(dd), [1, n])), { rtol: 0, atol: tol * scale }, "T·Z");
        for (let i = 1; i < n; i++) expect(dd[i]!).toBeGreaterThanOrEqual(dd[i - 1]!);
        const ql = Float64Array.from(d);
        tql2(ql, Float64Array.from(e), n, null, 0);
        ql.sort();
        expectClose(tensor(dd), tensor(ql), { rtol: 0, atol: tol * scale }, "λ vs QL");
      }),
      { numRuns: 60 },
    );
  });
  it("subnormal couplings and tiny or huge norms keep ZᵀZ = I (regression: a 5e-324 coupling gave equal vectors)", () => {
    const n = 23;
    const cases: [number[], number[]][] = [
      [Array(n).fill(0), Array.from({ length: n }, (_, i) => (i === 0 ? 5e-324 : i === 17 ? 2 ** -500 : 0))],
      [Array(n).fill(0), Array.from({ length: n }, (_, i) => (i === 0 ? 5e-324 : 0))],
    ];
    for (const f of [1e-310, 1e300]) {
      cases.push([
        Array.from({ length: n }, (_, i) => f * Math.sin(i)),
        Array.from({ length: n }, (_, i) => f * Math.cos(i)),
      ]);
    }
    for (const [d, e] of cases) {
      for (const leaf of [1, 2, 4]) {
        const dd = Float64Array.from(d);
        const z = stedc(dd, Float64Array.from(e), n, leaf);
        const Z = tensor(z, [n, n]);
        expectClose(matmul(mT(Z), Z), eye(n), { rtol: 0, atol: 1e-13 }, "ZᵀZ");
        const scale = Math.max(...d.map(Math.abs), ...e.map(Math.abs));
        const TZ = matmul(tensor(tridiag(d, e), [n, n]), Z);
        expectClose(TZ, mul(Z, reshape(tensor(dd), [1, n])), { rtol: 0, atol: 1e-13 * scale }, "T·Z");
      }
    }
  });

  it("glued Wilkinson matrices (tight clusters) keep orthogonal eigenvectors", () => {
    // W21⁺ blocks glued by 1e-10: pairs of eigenvalues agreeing to ~1e-14, the classic deflation stress test.
    const d: number[] = [];
    const e: number[] = [];
    for (let b = 0; b < 4; b++) {
      for (let i = 0; i < 21; i++) {
        d.push(Math.abs(10 - i));
        e.push(i < 20 ? 1 : 1e-10);
      }
    }
    const n = d.length;
    const dd = Float64Array.from(d);
    const z = stedc(dd, Float64Array.from(e), n, 8);
    const Z = tensor(z, [n, n]);
    expectClose(matmul(mT(Z), Z), eye(n), { rtol: 0, atol: 1e-13 }, "ZᵀZ");
    const TZ = matmul(tensor(tridiag(d, e), [n, n]), Z);
    expectClose(TZ, mul(Z, reshape(tensor(dd), [1, n])), { rtol: 0, atol: 1e-12 }, "T·Z");
  });
  it("a long run of equal diagonal entries next to a tiny coupling (the secular root's pole choice)", () => {
    // Found by fast-check: δ_j + mid rounds to δ_j when the gap is tiny, so the midpoint test must use
    // (δ_i − δ_j) − mid.
    const d = [...Array(20).fill(-1), 1, 0, -1, 1, ...Array(15).fill(-1)] as number[];
    const e = [...Array(20).fill(0), 1e-12, 1, -1, 1, ...Array(15).fill(0)] as number[];
    const n = d.length;
    const dd = Float64Array.from(d);
    const z = stedc(dd, Float64Array.from(e), n, 2);
    const Z = tensor(z, [n, n]);
    expectClose(matmul(mT(Z), Z), eye(n), { rtol: 0, atol: 1e-13 }, "ZᵀZ");
    const TZ = matmul(tensor(tridiag(d, e), [n, n]), Z);
    expectClose(TZ, mul(Z, reshape(tensor(dd), [1, n])), { rtol: 0, atol: 1e-13 }, "T·Z");
  });
});

describe("blocked tridiagonalisation (sytrd) and back-transformation", () => {
  it("Q·T·Qᵀ = A, QᵀQ = I, and panels of 2–5 agree with the unblocked reduction (nb = 1) to 1e-12", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 2, max: 5 }), fc.nat(), (n, nb, seed) => {
        const a = lcgSym(n, seed);
        const tri = sytrd(a.data.slice(), n, nb);
        const q = new Float64Array(n * n);
        for (let i = 0; i < n; i++) q[i * n + i] = 1;
        applyQ(tri, n, q, n, nb);
        const Q = tensor(q, [n, n]);
        const tol = 1e-14 * (n + 4);
        expectClose(matmul(mT(Q), Q), eye(n), { rtol: 0, atol: tol }, "QᵀQ");
        const Tm = tensor(tridiag(Array.from(tri.d), Array.from(tri.e.subarray(0, n - 1))), [n, n]);
        expectClose(matmul(Q, matmul(Tm, mT(Q))), a, { rtol: 0, atol: tol * 4 }, "Q·T·Qᵀ");
        const ref = sytrd(a.data.slice(), n, 1);
        expectClose(tensor(tri.d), tensor(ref.d), { rtol: 0, atol: 1e-12 }, "d");
        expectClose(tensor(tri.e), tensor(ref.e), { rtol: 0, atol: 1e-12 }, "e");
      }),
      { numRuns: 40 },
    );
  });
});

describe("eigh above the divide-and-conquer cut-off", () => {
  it("A = V·diag(λ)·Vᵀ, VᵀV = I, values equal eigvalsh, for n = 48…90", () => {
    fc.assert(
      fc.property(fc.integer({ min: 48, max: 90 }), fc.nat(), (n, seed) => {
        const a = lcgSym(n, seed);
        const { values, vectors } = eigh(a);
        const tol = 1e-14 * n;
        expectClose(matmul(mT(vectors), vectors), eye(n), { rtol: 0, atol: tol }, "VᵀV");
        expectClose(matmul(mul(vectors, reshape(values, [1, n])), mT(vectors)), a, { rtol: 0, atol: tol * 4 }, "VΛVᵀ");
        const v = values.data;
        for (let i = 1; i < n; i++) expect(v[i]!).toBeGreaterThanOrEqual(v[i - 1]!);
        expectClose(eigvalsh(a), values, { rtol: 0, atol: tol * 4 }, "eigvalsh");
      }),
      { numRuns: 6 },
    );
  });
  it("matches numpy.linalg.eigh (random 56×56: values and sign-normalised vectors; clustered 52×52: values)", () => {
    const r = eigh(T(fx.eighRandom.a));
    expectClose(r.values, T(fx.eighRandom.values), { rtol: 1e-11, atol: 1e-12 }, "values");
    expectClose(r.vectors, T(fx.eighRandom.vectors), { rtol: 1e-9, atol: 1e-10 }, "vectors");
    const c = eigh(T(fx.eighClustered.a));
    expectClose(c.values, T(fx.eighClustered.values), { rtol: 0, atol: 1e-12 }, "clustered values");
    const n = c.values.shape[0]!;
    expectClose(matmul(mT(c.vectors), c.vectors), eye(n), { rtol: 0, atol: 1e-13 }, "clustered VᵀV");
  });
});
