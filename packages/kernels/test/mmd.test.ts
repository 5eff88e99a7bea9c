import * as X from "@x/tensor";
import { expectClose } from "@x/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hsic, linear, matern, mmd2, mmdPermutationTest, rbf } from "../src/index.js";

const arbPoints = (n: number, d: number, lo = -2, hi = 2) =>
  fc
    .array(fc.double({ min: lo, max: hi, noNaN: true }), { minLength: n * d, maxLength: n * d })
    .map((v) => X.tensor(v, [n, d]));
const rows = (t: X.Tensor) => t.toArray() as number[][];

/** Naive reference MMD² estimators by explicit loops over k(·,·) on single points. */
function naiveMmd(k: (a: number[], b: number[]) => number, x: number[][], y: number[][], unbiased: boolean) {
  const n = x.length;
  const m = y.length;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (!unbiased || i !== j) sxx += k(x[i]!, x[j]!);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) if (!unbiased || i !== j) syy += k(y[i]!, y[j]!);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) sxy += k(x[i]!, y[j]!);
  return unbiased
    ? sxx / (n * (n - 1)) + syy / (m * (m - 1)) - (2 * sxy) / (n * m)
    : sxx / n ** 2 + syy / m ** 2 - (2 * sxy) / (n * m);
}

describe("MMD", () => {
  it("biased, unbiased and linear-time estimators match naive loops; biased with a linear kernel = ‖x̄ − ȳ‖²", () => {
    fc.assert(
      fc.property(arbPoints(6, 2), arbPoints(6, 2, -1, 3), (x, y) => {
        const k = matern({ nu: 1.5, lengthscale: 0.8 });
        const kf = (a: number[], b: number[]) => k.k([a], [b]).item();
        expectClose([mmd2(k, x, y, { estimator: "biased" }).item()], [naiveMmd(kf, rows(x), rows(y), false)], {
          rtol: 1e-10,
          atol: 1e-12,
        });
        expectClose([mmd2(k, x, y).item()], [naiveMmd(kf, rows(x), rows(y), true)], { rtol: 1e-10, atol: 1e-12 });
        let lin = 0;
        const [xr, yr] = [rows(x), rows(y)];
        for (let i = 0; i < 3; i++) {
          const [a, b, c, d] = [xr[2 * i]!, xr[2 * i + 1]!, yr[2 * i]!, yr[2 * i + 1]!];
          lin += (kf(a, b) + kf(c, d) - kf(a, d) - kf(b, c)) / 3;
        }
        expectClose([mmd2(k, x, y, { estimator: "linear" }).item()], [lin], { rtol: 1e-10, atol: 1e-12 });
        const diff = X.sub(X.mean(x, { axis: 0 }), X.mean(y, { axis: 0 }));
        expectClose([mmd2(linear(), x, y, { estimator: "biased" }).item()], [X.sum(X.mul(diff, diff)).item()], {
          rtol: 1e-9,
          atol: 1e-12,
        });
        expect(mmd2(k, x, y, { estimator: "biased" }).item()).toBeGreaterThanOrEqual(-1e-12);
      }),
      { numRuns: 12 },
    );
  });

  it("is differentiable in the samples (gradient of biased MMD² vs finite differences)", () => {
    const k = rbf({ lengthscale: 0.9 });
    const y = X.normal(X.rng(2), [5, 2]);
    const x = X.normal(X.rng(3), [4, 2]);
    const g = X.grad((v: X.Tensor) => mmd2(k, v, y, { estimator: "biased" }))(x) as X.Tensor;
    const e = 1e-6;
    const xd = Float64Array.from(x.data);
    xd[3] = xd[3]! + e;
    const up = mmd2(k, X.tensor(xd, [4, 2]), y, { estimator: "biased" }).item();
    xd[3] = xd[3]! - 2 * e;
    const dn = mmd2(k, X.tensor(xd, [4, 2]), y, { estimator: "biased" }).item();
    expectClose([g.data[3]!], [(up - dn) / (2 * e)], { rtol: 1e-6, atol: 1e-8 });
  });

  it("permutation test: statistic = mmd2, p ∈ [1/(B+1), 1], seeded, detects a mean shift", () => {
    const k = rbf({ lengthscale: 1 });
    const x = X.normal(X.rng(10), [30, 2]);
    const y = X.add(X.normal(X.rng(11), [30, 2]), 1.5);
    const r = mmdPermutationTest(k, x, y, { numPermutations: 200, seed: 1 });
    expectClose([r.statistic], [mmd2(k, x, y).item()], { rtol: 1e-10, atol: 1e-12 });
    expect(r.pValue).toBeCloseTo(1 / 201, 12);
    const r2 = mmdPermutationTest(k, x, y, { numPermutations: 200, seed: 1 });
    expectClose(r2.nullSamples, r.nullSamples, { rtol: 0, atol: 0 });
    fc.assert(
      fc.property(arbPoints(5, 1), arbPoints(4, 1), fc.integer({ min: 0, max: 1000 }), (a, b, seed) => {
        const t = mmdPermutationTest(k, a, b, { numPermutations: 30, seed, estimator: "biased" });
        expect(t.pValue).toBeGreaterThanOrEqual(1 / 31);
        expect(t.pValue).toBeLessThanOrEqual(1);
      }),
      { numRuns: 20 },
    );
  });
});

describe("HSIC", () => {
  it("biased HSIC with linear kernels = ‖XᵀHY‖²_F/(n−1)²; unbiased = the U-statistic over distinct 4-tuples", () => {
    fc.assert(
      fc.property(arbPoints(6, 2), arbPoints(6, 1), (x, y) => {
        const n = 6;
        const xc = X.sub(x, X.mean(x, { axis: 0 }));
        const c = X.matmul(X.transpose(xc), y);
        expectClose([hsic(linear(), linear(), x, y).item()], [X.sum(X.mul(c, c)).item() / (n - 1) ** 2], {
          rtol: 1e-9,
          atol: 1e-12,
        });
        const kx = rbf({ lengthscale: 0.7 });
        const ky = matern({ nu: 0.5 });
        const K = kx.k(x).toArray() as number[][];
        const L = ky.k(y).toArray() as number[][];
        let s = 0;
        let count = 0;
        for (let i = 0; i < n; i++)
          for (let j = 0; j < n; j++)
            for (let q = 0; q < n; q++)
              for (let r = 0; r < n; r++) {
                if (new Set([i, j, q, r]).size < 4) continue;
                s += K[i]![j]! * L[i]![j]! + K[i]![j]! * L[q]![r]! - 2 * K[i]![j]! * L[i]![q]!;
                count++;
              }
        expectClose([hsic(kx, ky, x, y, { estimator: "unbiased" }).item()], [s / count], { rtol: 1e-8, atol: 1e-12 });
      }),
      { numRuns: 10 },
    );
  });

  it("bad input", () => {
    expect(() => hsic(rbf(), rbf(), [[1], [2]], [[1]])).toThrow(/paired/);
    expect(() => mmd2(rbf(), [[1]], [[1], [2]])).toThrow(/at least 2/);
    expect(() => mmd2(rbf(), [[1], [2]], [[1], [2], [3]], { estimator: "linear" })).toThrow(/same n/);
    expect(() => mmd2(rbf(), [[1, 2]], [[1]])).toThrow(X.ShapeError);
    expect(() => mmdPermutationTest(rbf(), [[1], [2]], [[1], [2]], { numPermutations: 0 })).toThrow(/numPermutations/);
  });
});
