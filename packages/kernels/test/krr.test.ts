import * as X from "@x/tensor";
import { expectClose } from "@x/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { kernelPca, kernelRidge, matern, rbf, spectralFilters } from "../src/index.js";
import krr from "./fixtures/krr.json";

const kern = rbf({ lengthscale: krr.lengthscale });

/** Flips the sign of each column of a to match b (eigenvector signs are a convention). */
function alignColumns(a: number[][], b: number[][]): number[][] {
  const k = b[0]!.length;
  const s = Array.from({ length: k }, (_, j) => Math.sign(a.reduce((acc, r, i) => acc + r[j]! * b[i]![j]!, 0)) || 1);
  return a.map((r) => r.map((v, j) => v * s[j]!));
}

describe("kernel ridge, spectral filters and kernel PCA vs scikit-learn", () => {
  it("kernelRidge matches KernelRidge dual coefficients and predictions", () => {
    const r = kernelRidge(kern, krr.X, krr.y, { lambda: krr.lambda });
    expectClose(r.alpha, krr.krr.dual, { rtol: 1e-8, atol: 1e-10 });
    expectClose(r.predict(krr.Xs), krr.krr.predict, { rtol: 1e-8, atol: 1e-10 });
    // The ridge filter on one eigendecomposition gives the same predictions.
    const sf = spectralFilters(kern, krr.X, krr.y);
    expectClose(sf.predict(krr.Xs, { filter: "ridge", lambda: krr.lambda }), krr.krr.predict, {
      rtol: 1e-8,
      atol: 1e-10,
    });
  });

  it("kernelPca matches KernelPCA (eigenvalues, training scores, transform)", () => {
    const p = kernelPca(kern, krr.X, { nComponents: 3 });
    expectClose(p.eigenvalues, krr.kpca.eigenvalues, { rtol: 1e-9, atol: 1e-10 });
    expectClose(alignColumns(p.scores.toArray() as number[][], krr.kpca.train), krr.kpca.train, {
      rtol: 1e-7,
      atol: 1e-9,
    });
    expectClose(alignColumns(p.transform(krr.Xs).toArray() as number[][], krr.kpca.test), krr.kpca.test, {
      rtol: 1e-7,
      atol: 1e-9,
    });
  });
});

const arbData = (n: number) =>
  fc
    .tuple(
      fc.uniqueArray(fc.integer({ min: -30, max: 30 }), { minLength: n, maxLength: n }),
      fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: n, maxLength: n }),
    )
    .map(([xs, ys]) => [X.tensor(xs.map((v) => v / 10)), X.tensor(ys)] as const);

describe("spectral filter properties", () => {
  it("Landweber after t steps equals t steps of gradient descent α ← α + η(y − Kα)", () => {
    fc.assert(
      fc.property(
        arbData(7),
        fc.integer({ min: 0, max: 25 }),
        fc.double({ min: 0.1, max: 1.9, noNaN: true }),
        ([x, y], t, c) => {
          const k = matern({ nu: 1.5, lengthscale: 0.7 });
          const sf = spectralFilters(k, x, y);
          const K = k.k(x);
          const eta = c / sf.values.data[6]!;
          let a = X.zeros([7]);
          for (let i = 0; i < t; i++) a = X.add(a, X.mul(eta, X.sub(y, X.matmul(K, a))));
          expectClose(sf.coefficients({ filter: "landweber", steps: t, stepSize: eta }), a, { rtol: 1e-7, atol: 1e-8 });
        },
      ),
      { numRuns: 30 },
    );
  });

  it("ridge filter = (K + λI)⁻¹y and cut-off below the smallest eigenvalue = K⁻¹y", () => {
    fc.assert(
      fc.property(arbData(6), fc.double({ min: 0.01, max: 10, noNaN: true }), ([x, y], lambda) => {
        const k = rbf({ lengthscale: 0.5 });
        const sf = spectralFilters(k, x, y);
        const a = sf.coefficients({ filter: "ridge", lambda });
        expectClose(X.add(X.matmul(k.k(x), a), X.mul(lambda, a)), y, { rtol: 1e-8, atol: 1e-8 });
        const lmin = sf.values.data[0]!;
        if (lmin > 1e-6) {
          const c = sf.coefficients({ filter: "cutoff", lambda: lmin / 2 });
          expectClose(X.matmul(k.k(x), c), y, { rtol: 1e-6, atol: 1e-6 });
        }
      }),
      { numRuns: 30 },
    );
  });
});

describe("bad input", () => {
  it("typed errors", () => {
    expect(() => kernelRidge(kern, krr.X, krr.y, { lambda: -1 })).toThrow(/lambda/);
    expect(() => kernelRidge(kern, krr.X, [1, 2], { lambda: 1 })).toThrow(X.ShapeError);
    const sf = spectralFilters(kern, krr.X, krr.y);
    expect(() => sf.coefficients({ filter: "landweber", steps: 3, stepSize: 100 })).toThrow(/stepSize/);
    expect(() => sf.coefficients({ filter: "landweber", steps: -1 })).toThrow(/steps/);
    expect(() => sf.coefficients({ filter: "cutoff", lambda: 0 })).toThrow(/lambda/);
    expect(() => kernelPca(kern, krr.X, { nComponents: 0 })).toThrow(/nComponents/);
    expect(() => kernelPca(kern, krr.X, { nComponents: 2 }).transform([[1, 2, 3]])).toThrow(X.ShapeError);
  });
});
