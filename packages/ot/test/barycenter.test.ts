import * as X from "@x/tensor";
import { expectClose } from "@x/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { barycenter, buresBarycenter, dist, emd, freeSupportBarycenter, gaussianW2, sinkhorn } from "../src/index.js";
import { ref } from "./fixtures.js";

describe("barycenters", () => {
  it("entropic barycenter matches POT ot.bregman.barycenter", () => {
    const c = ref.barycenter;
    const r = barycenter(c.A, c.M, c.reg, { weights: c.weights, tol: 1e-12, maxIter: 10000 });
    expect(r.converged).toBe(true);
    expectClose(r.barycenter, c.bary, { rtol: 1e-6, atol: 1e-10 });
  });

  it("non-uniform weights: a lower objective than POT 0.8.2's fixed point (POT starts off the optimum)", () => {
    const c = ref.barycenter;
    const w = c.weightsNonUniform;
    const ours = barycenter(c.A, c.M, c.reg, { weights: w, tol: 1e-12, maxIter: 20000 }).barycenter;
    const A = X.tensor(c.A);
    const objective = (p: X.TensorLike) =>
      [0, 1].reduce((s, k) => {
        const a = X.reshape(
          X.slice(A, [
            [0, 30],
            [k, k + 1],
          ]),
          [30],
        );
        const r = sinkhorn(a, p, c.M, c.reg, { method: "log", tol: 1e-13, maxIter: 100000 });
        return s + w[k] * r.entropicCost;
      }, 0);
    expect(objective(ours)).toBeLessThan(objective(c.baryNonUniformPOT) - 1e-4);
  });

  it("entropic barycenter of identical inputs does not depend on the weights and sums to 1", () => {
    const c = ref.barycenter;
    const h = X.tensor(c.A).data.filter((_, k) => k % 2 === 0);
    const A = X.stack([X.tensor(h), X.tensor(h)], 1);
    const p1 = barycenter(A, c.M, 0.01, { weights: [0.2, 0.8], tol: 1e-12 }).barycenter;
    const p2 = barycenter(A, c.M, 0.01, { weights: [0.5, 0.5], tol: 1e-12 }).barycenter;
    expectClose(p1, p2, { rtol: 1e-8, atol: 1e-12 });
    expectClose(X.sum(p1).item(), 1, { rtol: 1e-8 });
  });

  it("free-support barycenter of identical inputs is that input (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 1, max: 6 }), (seed, n) => {
        const [k1, k2] = X.split(X.rng(seed), 2) as [X.Key, X.Key];
        const L = X.normal(k1, [n, 2]);
        const r = freeSupportBarycenter([L, L], X.normal(k2, [n, 2]), { weights: [0.3, 0.7] });
        expect(r.converged).toBe(true);
        // Same point set: zero exact OT cost between them.
        expect(emd([], [], dist(r.X, L)).cost).toBeLessThan(1e-12);
      }),
      { numRuns: 30 },
    );
  });

  it("free-support barycenter of two Diracs is their weighted mean", () => {
    const r = freeSupportBarycenter([[[0, 0]], [[4, 2]]], [[1, 1]], { weights: [0.75, 0.25] });
    expectClose(r.X, [[1, 0.5]], { atol: 1e-12 });
  });

  it("Gaussian W2 closed form and Bures barycenter", () => {
    // 1-D: W2² = (m1 − m2)² + (σ1 − σ2)²
    expectClose(gaussianW2([1], [[4]], [3], [[9]]).item(), 4 + 1, { rtol: 1e-10 });
    // commuting covariances: barycenter covariance = (Σ w_k S_k^½)²
    const r = buresBarycenter(
      [
        [0, 0],
        [2, 4],
      ],
      [
        [
          [1, 0],
          [0, 4],
        ],
        [
          [9, 0],
          [0, 16],
        ],
      ],
      { weights: [0.5, 0.5] },
    );
    expect(r.converged).toBe(true);
    expectClose(r.mean, [1, 2], { atol: 1e-12 });
    expectClose(
      r.cov,
      [
        [4, 0],
        [0, 9],
      ],
      { rtol: 1e-8, atol: 1e-10 },
    );
  });

  it("Bures barycenter of identical Gaussians is that Gaussian; W2 is a metric on samples (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), (seed) => {
        const [k1, k2, k3] = X.split(X.rng(seed), 3) as [X.Key, X.Key, X.Key];
        const B = X.normal(k1, [3, 3]);
        const S = X.add(X.matmul(B, X.mT(B)), X.mul(0.5, X.eye(3)));
        const m = X.normal(k2, [3]);
        const r = buresBarycenter([m, m], [S, S], { weights: [0.4, 0.6] });
        expectClose(r.cov, S, { rtol: 1e-8, atol: 1e-8 });
        expect(Math.abs(gaussianW2(m, S, m, S).item())).toBeLessThan(1e-8);
        const C = X.normal(k3, [3, 3]);
        const S2 = X.add(X.matmul(C, X.mT(C)), X.mul(0.5, X.eye(3)));
        expect(gaussianW2(m, S, X.zeros([3]), S2).item()).toBeGreaterThanOrEqual(-1e-9);
      }),
      { numRuns: 20 },
    );
  });
});
