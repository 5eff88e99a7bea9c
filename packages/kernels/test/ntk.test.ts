import * as X from "@x/tensor";
import { expectClose } from "@x/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { empiricalNtk, infiniteWidthKernels, mlp, ntkPredictor } from "../src/index.js";
import ref from "./fixtures/ntk.json";

describe("analytic NNGP/NTK", () => {
  for (const c of ref.cases) {
    it(`${c.activation}, depth ${c.depth}, σw² ${c.weightVariance}, σb² ${c.biasVariance} vs quadrature of the recursion`, () => {
      const r = infiniteWidthKernels(ref.X, undefined, c as never);
      expectClose(r.nngp, c.nngp, { rtol: 1e-8, atol: 1e-10 });
      expectClose(r.ntk, c.ntk, { rtol: 1e-8, atol: 1e-10 });
    });
  }

  it("ReLU closed form: unit-variance weights, Θ¹ = Σ¹ + Σ⁰·(π − θ)/(2π) (guide's arc-cosine recursion)", () => {
    const x = [
      [1, 0],
      [Math.SQRT1_2, Math.SQRT1_2],
    ];
    const r = infiniteWidthKernels(x, undefined, { depth: 1, weightVariance: 1 });
    const s0 = Math.SQRT1_2 / 2;
    const th = Math.PI / 4;
    const s1 = (0.5 / (2 * Math.PI)) * (Math.sin(th) + (Math.PI - th) * Math.cos(th));
    expectClose([r.nngp.data[1]!, r.ntk.data[1]!], [s1, s1 + (s0 * (Math.PI - th)) / (2 * Math.PI)], {
      rtol: 1e-12,
      atol: 0,
    });
  });

  it("NNGP and NTK Gram matrices are symmetric PSD and cross matrices agree with the Gram blocks", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 10, maxLength: 10 }),
        fc.integer({ min: 0, max: 3 }),
        fc.constantFrom("relu" as const, "erf" as const),
        (v, depth, activation) => {
          const x = X.tensor(v, [5, 2]);
          const opts = { depth, activation, weightVariance: 1.7, biasVariance: 0.2 };
          const r = infiniteWidthKernels(x, undefined, opts);
          const c = infiniteWidthKernels(X.slice(x, [[0, 2]]), X.slice(x, [[2, 5]]), opts);
          expectClose(
            c.ntk,
            X.slice(r.ntk, [
              [0, 2],
              [2, 5],
            ]),
            { rtol: 1e-12, atol: 1e-12 },
          );
          for (const K of [r.nngp, r.ntk]) {
            const sym = X.max(X.abs(X.sub(K, X.transpose(K)))).item();
            expect(sym).toBeLessThanOrEqual(1e-12);
          }
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe("empirical NTK", () => {
  it("→ analytic NTK as the width grows (seeded; relative error ≤ 4/√width)", () => {
    const x = X.normal(X.rng(1), [4, 3]);
    for (const activation of ["relu", "erf"] as const) {
      const a = infiniteWidthKernels(x, undefined, { depth: 1, activation, weightVariance: 2, biasVariance: 0.1 }).ntk;
      const errs = [64, 2048].map((width) => {
        const net = mlp({ inputDim: 3, width, depth: 1, activation, weightVariance: 2, biasVariance: 0.1, seed: 7 });
        return X.max(X.abs(X.sub(empiricalNtk(net, x), a))).item() / X.max(X.abs(a)).item();
      });
      expect(errs[1]!).toBeLessThanOrEqual(4 / Math.sqrt(2048));
      expect(errs[1]!).toBeLessThan(errs[0]!);
    }
  });

  it("equals J Jᵀ computed from jacobian(), and the cross form matches", () => {
    const net = mlp({ inputDim: 2, width: 8, depth: 2, activation: "erf", seed: 1 });
    const x = X.normal(X.rng(2), [3, 2]);
    const flat = (v: X.Tensor) => {
      let k = 0;
      const ps = net.params.map((p) => {
        const t = X.reshape(X.slice(v, [[k, k + p.size]]), p.shape);
        k += p.size;
        return t;
      });
      return net.apply(ps, x);
    };
    const theta = X.concat(net.params.map((p) => X.reshape(p, [p.size])));
    const J = X.jacobian(flat)(theta);
    expectClose(empiricalNtk(net, x), X.matmul(J, X.transpose(J)), { rtol: 1e-10, atol: 1e-12 });
    expectClose(empiricalNtk(net, x, X.slice(x, [[0, 2]])), X.slice(X.matmul(J, X.transpose(J)), [null, [0, 2]]), {
      rtol: 1e-10,
      atol: 1e-12,
    });
  });
});

describe("NTK gradient-flow predictor", () => {
  it("solves df/dt = −ηΘ(f − y) from f₀ = 0 and tends to kernel regression as t → ∞", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: -20, max: 20 }), { minLength: 5, maxLength: 5 }),
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 5, maxLength: 5 }),
        fc.double({ min: 0.05, max: 3, noNaN: true }),
        (grid, ys, t) => {
          const x = X.tensor(grid.map((g) => [g / 10, 1]));
          const y = X.tensor(ys);
          const { ntk } = infiniteWidthKernels(x, undefined, { depth: 2, biasVariance: 0.1 });
          const eta = 0.5;
          const p = ntkPredictor(ntk, y, { learningRate: eta });
          expectClose(p.trainPredictions(0), [0, 0, 0, 0, 0], { rtol: 0, atol: 1e-14 });
          const h = 1e-5;
          const dfdt = X.div(X.sub(p.trainPredictions(t + h), p.trainPredictions(t - h)), 2 * h);
          const rhs = X.mul(-eta, X.matmul(ntk, X.sub(p.trainPredictions(t), y)));
          expectClose(dfdt, rhs, { rtol: 1e-5, atol: 1e-6 });
          // Test point = a training point: μ_t there equals the training prediction.
          expectClose(p.predict(X.slice(ntk, [[1, 2]]), t), X.slice(p.trainPredictions(t), [[1, 2]]), {
            rtol: 1e-9,
            atol: 1e-10,
          });
        },
      ),
      { numRuns: 25 },
    );
  });

  it("bad input", () => {
    expect(() => infiniteWidthKernels([[1]], undefined, { depth: -1 })).toThrow(/depth/);
    expect(() => infiniteWidthKernels([[1]], undefined, { depth: 1, weightVariance: 0 })).toThrow(/weightVariance/);
    expect(() => infiniteWidthKernels([[1]], [[1, 2]], { depth: 1 })).toThrow(X.ShapeError);
    expect(() => ntkPredictor([[1, 0]], [1])).toThrow(X.ShapeError);
    expect(() => ntkPredictor([[1]], [1]).predict([[1]], -1)).toThrow(/t must be/);
    expect(() => mlp({ inputDim: 0, width: 3, depth: 1 })).toThrow(/inputDim/);
  });
});
