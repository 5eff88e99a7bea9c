import { LinearOperator, normal, rng, ShapeError, split, type Tensor, tensor, ValueError } from "@x/tensor";
import { arbLowRank, arbMatrix, arbOrthogonal, close, expectClose } from "@x/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  countSketch,
  fwht,
  gaussianSketch,
  leverageScoreSample,
  leverageScores,
  nystrom,
  randomizedKaczmarz,
  randomizedRangeFinder,
  randomizedSvd,
  sketchAndProject,
  srhtSketch,
} from "../src/randomized/index.js";
import fx from "./fixtures/linalg-spectral-tools.json";

const fromRows = (rows: number[][]) => tensor(Float64Array.from(rows.flat()), [rows.length, rows[0]!.length]);

function matmulRaw(a: Float64Array, b: Float64Array, m: number, r: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let k = 0; k < r; k++) for (let j = 0; j < n; j++) c[i * n + j]! += a[i * r + k]! * b[k * n + j]!;
  return c;
}

/** Naive Sylvester Hadamard entry H_ij = (−1)^{popcount(i & j)}. */
const had = (i: number, j: number) => {
  let x = i & j;
  let p = 0;
  while (x) {
    p ^= x & 1;
    x >>= 1;
  }
  return p ? -1 : 1;
};

const arbPow2Vec = fc
  .integer({ min: 0, max: 6 })
  .chain((e) => fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 2 ** e, maxLength: 2 ** e }));

describe("fwht", () => {
  it("matches the naive O(n²) Hadamard product, is orthogonal and its own inverse", () => {
    fc.assert(
      fc.property(arbPow2Vec, (x) => {
        const n = x.length;
        const y = fwht(x);
        const naive = Array.from({ length: n }, (_, i) => x.reduce((s, v, j) => s + had(i, j) * v, 0) / Math.sqrt(n));
        expectClose(y, naive, { atol: 1e-12 });
        const nx = Math.hypot(...x);
        expect(close(Math.hypot(...y.data), nx, { rtol: 1e-12, atol: 1e-12 })).toBe(true);
        expectClose(fwht(y), x, { atol: 1e-12 });
      }),
      { numRuns: 20 },
    );
  });
  it("matches scipy.linalg.hadamard along the last axis of a batch", () => {
    expectClose(fwht(fx.fwht.x), fx.fwht.y, { atol: 1e-12 });
  });
  it("rejects a non-power-of-two length", () => {
    expect(() => fwht([1, 2, 3])).toThrow(ShapeError);
  });
});

describe("sketches", () => {
  it("preserve squared norms in expectation (average over seeded draws)", () => {
    const n = 64;
    const x = normal(rng(1), [n]).data;
    const nx2 = x.reduce((s, v) => s + v * v, 0);
    for (const make of [gaussianSketch, srhtSketch, countSketch]) {
      const keys = split(rng(9), 300);
      let acc = 0;
      for (const key of keys) {
        const y = make(16, n, { key }).matvec(tensor(Float64Array.from(x), [n])).data;
        acc += y.reduce((s, v) => s + v * v, 0);
      }
      expect(Math.abs(acc / keys.length / nx2 - 1)).toBeLessThan(0.1);
    }
  });
  it("rmatvec is the adjoint of matvec (⟨Sx, y⟩ = ⟨x, Sᵀy⟩)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 999 }), (n, seed) => {
        for (const make of [gaussianSketch, srhtSketch, countSketch]) {
          const s = Math.max(1, Math.min(n, 5));
          const S = make(s, n, { seed });
          const x = normal(rng(seed + 1), [n]);
          const y = normal(rng(seed + 2), [s]);
          const lhs = S.matvec(x).data.reduce((acc, v, i) => acc + v * y.data[i]!, 0);
          const rhs = S.rmatvec(y).data.reduce((acc, v, i) => acc + v * x.data[i]!, 0);
          expect(close(lhs, rhs, { rtol: 1e-10, atol: 1e-10 })).toBe(true);
        }
      }),
      { numRuns: 20 },
    );
  });
  it("reject bad sizes", () => {
    expect(() => gaussianSketch(0, 4)).toThrow(ValueError);
    expect(() => srhtSketch(9, 8)).toThrow(ValueError);
    expect(() => countSketch(2, 1.5)).toThrow(ValueError);
  });
});

describe("randomized range finder / SVD / Nyström", () => {
  it("range finder returns orthonormal Q capturing an exactly rank-k matrix", () => {
    fc.assert(
      fc.property(arbLowRank(12, 9, 3), fc.integer({ min: 0, max: 999 }), (a, seed) => {
        const q = randomizedRangeFinder(a, 3, { oversample: 2, seed, powerIters: 1 });
        const l = q.shape[1]!;
        const qtq = matmulRaw(transpose(q.data, 12, l), q.data, l, 12, l);
        for (let i = 0; i < l; i++)
          for (let j = 0; j < l; j++) expect(Math.abs(qtq[i * l + j]! - (i === j ? 1 : 0))).toBeLessThan(1e-12);
        // ‖(I − QQᵀ) A‖ ≈ 0
        const qqa = matmulRaw(q.data, matmulRaw(transpose(q.data, 12, l), a.data, l, 12, 9), 12, l, 9);
        expectClose(qqa, a.data, { atol: 1e-9 });
      }),
      { numRuns: 20 },
    );
  });

  it("randomizedSvd recovers an exactly rank-k matrix to 1e-8", () => {
    fc.assert(
      fc.property(arbLowRank(10, 14, 3), fc.integer({ min: 0, max: 999 }), (a, seed) => {
        const { u, s, vt } = randomizedSvd(a, 3, { seed });
        const us = Float64Array.from(u.data, (v, idx) => v * s.data[idx % 3]!);
        expectClose(matmulRaw(us, vt.data, 10, 3, 14), a.data, { atol: 1e-8 });
        for (let j = 1; j < 3; j++) expect(s.data[j]!).toBeLessThanOrEqual(s.data[j - 1]!);
      }),
      { numRuns: 20 },
    );
  });

  it("randomizedSvd works on a LinearOperator", () => {
    const a = fromRows(fx.leverage.a);
    const op = new LinearOperator([20, 4], (v) => tensor(matmulRaw(a.data, v.data, 20, 4, 1), [20]), {
      rmatvec: (v) => tensor(matmulRaw(transpose(a.data, 20, 4), v.data, 4, 20, 1), [4]),
    });
    const { u, s, vt } = randomizedSvd(op, 4, { oversample: 0, seed: 1 });
    const us = Float64Array.from(u.data, (v, idx) => v * s.data[idx % 4]!);
    expectClose(matmulRaw(us, vt.data, 20, 4, 4), a.data, { atol: 1e-10 });
  });

  it("Nyström is exact on rank-k PSD matrices", () => {
    fc.assert(
      fc.property(
        arbOrthogonal(10),
        fc.array(fc.double({ min: 0.5, max: 5, noNaN: true }), { minLength: 3, maxLength: 3 }),
        fc.integer({ min: 0, max: 999 }),
        (q, lam, seed) => {
          const a = new Float64Array(100);
          for (let i = 0; i < 10; i++)
            for (let j = 0; j < 10; j++)
              for (let k = 0; k < 3; k++) a[i * 10 + j]! += q.data[i * 10 + k]! * lam[k]! * q.data[j * 10 + k]!;
          const { factor, lambda } = nystrom(tensor(a, [10, 10]), 3, { oversample: 2, seed });
          expectClose(matmulRaw(factor.data, transpose(factor.data, 10, 3), 10, 3, 10), a, { atol: 1e-8 });
          expectClose(
            lambda,
            [...lam].sort((x, y) => y - x),
            { atol: 1e-8 },
          );
        },
      ),
      { numRuns: 20 },
    );
  });

  it("reject k > min(m, n)", () => {
    expect(() => randomizedSvd(fromRows(fx.leverage.a), 5)).toThrow(ValueError);
    expect(() => randomizedRangeFinder(fromRows(fx.leverage.a), 0)).toThrow(ValueError);
    expect(() => nystrom(fromRows(fx.leverage.a), 2)).toThrow(ShapeError);
  });
});

function transpose(a: Float64Array, m: number, n: number): Float64Array {
  const t = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) t[j * m + i] = a[i * n + j]!;
  return t;
}

describe("leverage scores", () => {
  it("sum to the rank and lie in [0, 1]", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 999 }), (r, seed) => {
        const b = normal(rng(seed), [9, r]).data;
        const c = normal(rng(seed + 7), [r, 5]).data;
        const a = tensor(matmulRaw(b, c, 9, r, 5), [9, 5]);
        const lev = leverageScores(a).data;
        expect(
          close(
            lev.reduce((s, v) => s + v, 0),
            Math.min(r, 5),
            { rtol: 1e-9 },
          ),
        ).toBe(true);
        for (const v of lev) expect(v).toBeLessThanOrEqual(1 + 1e-12);
      }),
      { numRuns: 20 },
    );
  });
  it("match numpy's SVD-based scores", () => {
    expectClose(leverageScores(fx.leverage.a), fx.leverage.scores, { atol: 1e-12 });
  });
  it("sampling gives E[(SA)ᵀ SA] ≈ AᵀA (seeded average)", () => {
    const a = fromRows(fx.leverage.a);
    const ata = matmulRaw(transpose(a.data, 20, 4), a.data, 4, 20, 4);
    const acc = new Float64Array(16);
    const keys = split(rng(5), 200);
    for (const key of keys) {
      const { sketch, indices } = leverageScoreSample(a, 8, { key });
      expect(indices.size).toBe(8);
      const g = matmulRaw(transpose(sketch.data, 8, 4), sketch.data, 4, 8, 4);
      for (let i = 0; i < 16; i++) acc[i]! += g[i]! / keys.length;
    }
    const scale = Math.max(...ata.map(Math.abs));
    expectClose(acc, ata, { atol: 0.1 * scale });
  });
  it("rejects a non-matrix", () => {
    expect(() => leverageScores([1, 2, 3])).toThrow(ShapeError);
    expect(() => leverageScoreSample(fx.leverage.a, 0)).toThrow(ValueError);
  });
});

describe("row-action solvers", () => {
  const arbConsistent = fc.tuple(
    arbMatrix(12, 5),
    fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 5, maxLength: 5 }),
    fc.integer({ min: 0, max: 999 }),
  );
  const consistent = (a: Tensor, xs: number[]) => tensor(matmulRaw(a.data, Float64Array.from(xs), 12, 5, 1), [12]);

  it("randomized Kaczmarz converges on consistent overdetermined systems", () => {
    fc.assert(
      fc.property(arbConsistent, ([a, xs, seed]) => {
        // Shift the diagonal block to keep A well conditioned.
        const ad = Float64Array.from(a.data);
        for (let i = 0; i < 5; i++) ad[i * 5 + i]! += 6;
        const A = tensor(ad, [12, 5]);
        const b = consistent(A, xs);
        const res = randomizedKaczmarz(A, b, { seed, tol: 1e-10, maxIter: 200000 });
        expect(res.converged).toBe(true);
        expectClose(res.x, xs, { atol: 1e-7 });
      }),
      { numRuns: 20 },
    );
  });

  it("sketch-and-project (row blocks and Gaussian) converges on consistent systems", () => {
    fc.assert(
      fc.property(arbConsistent, ([a, xs, seed]) => {
        const ad = Float64Array.from(a.data);
        for (let i = 0; i < 5; i++) ad[i * 5 + i]! += 6;
        const A = tensor(ad, [12, 5]);
        const b = consistent(A, xs);
        for (const sketch of ["rows", "gaussian"] as const) {
          const res = sketchAndProject(A, b, { seed, sketchSize: 3, sketch, tol: 1e-10, maxIter: 5000 });
          expect(res.converged).toBe(true);
          expectClose(res.x, xs, { atol: 1e-7 });
        }
      }),
      { numRuns: 20 },
    );
  });

  it("reject mismatched b and bad sketch sizes", () => {
    expect(() => randomizedKaczmarz(fx.leverage.a, [1, 2])).toThrow(ShapeError);
    expect(() => sketchAndProject(fx.leverage.a, new Array(20).fill(1), { sketchSize: 21 })).toThrow(ValueError);
  });
});
