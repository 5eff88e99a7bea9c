import * as X from "@x/tensor";
import { expectClose, gradCheck } from "@x/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { barycentricProjection, dist, emd, entropicGromovWasserstein, entropicMap, mongeGap } from "../src/index.js";
import { ref } from "./fixtures.js";

describe("entropic Gromov–Wasserstein", () => {
  it("matches POT entropic_gromov_wasserstein(2)", () => {
    const c = ref.gromov;
    const r = entropicGromovWasserstein(c.C1, c.C2, c.p, c.q, c.reg, { tol: 1e-11 });
    expect(r.converged).toBe(true);
    expectClose(r.plan, c.plan, { rtol: 1e-5, atol: 1e-9 });
    expectClose(r.cost, c.value, { rtol: 1e-6 });
  });

  it("plans fit p and q; the loss is ≥ 0 (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 2, max: 5 }), (seed, n) => {
        const [k1, k2] = X.split(X.rng(seed), 2) as [X.Key, X.Key];
        const C1 = dist(X.normal(k1, [n, 2]));
        const C2 = dist(X.normal(k2, [n + 1, 2]));
        const r = entropicGromovWasserstein(X.div(C1, X.max(C1)), X.div(C2, X.max(C2)), [], [], 0.1, {
          method: "log",
          innerTol: 1e-11,
          maxIter: 200,
        });
        expect(r.cost).toBeGreaterThanOrEqual(-1e-12);
        X.sum(r.plan, { axis: 1 }).data.forEach((s) => expect(Math.abs(s - 1 / n)).toBeLessThan(1e-9));
      }),
      { numRuns: 10 },
    );
  });
});

describe("maps", () => {
  it("Monge gap is ≥ 0, 0 for an affine map with SPD matrix, > 0 for a rotation by 90° (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 2, max: 8 }), (seed, n) => {
        const x = X.normal(X.rng(seed), [n, 2]);
        const A = X.tensor([
          [2, 0.5],
          [0.5, 1],
        ]);
        const tx = X.add(X.matmul(x, A), X.tensor([1, -2]));
        expect(Math.abs(mongeGap(x, tx).item())).toBeLessThan(1e-10);
        const rot = X.matmul(
          x,
          X.tensor([
            [0, 1],
            [-1, 0],
          ]),
        );
        expect(mongeGap(x, rot).item()).toBeGreaterThanOrEqual(-1e-12);
      }),
      { numRuns: 30 },
    );
    const x = X.tensor([
      [1, 0],
      [0, 1],
      [-1, 0],
    ]);
    const rot = X.tensor([
      [0, 1],
      [-1, 0],
      [0, -1],
    ]);
    expect(mongeGap(x, rot).item()).toBeGreaterThan(0.1);
  });

  it("Monge gap is differentiable w.r.t. T(x) (gradCheck)", () => {
    const x = X.normal(X.rng(2), [4, 2]);
    const r = gradCheck((t) => mongeGap(x, t), X.normal(X.rng(3), [4, 2]), { rtol: 1e-4, atol: 1e-6 });
    expect(r.ok, r.details).toBe(true);
  });

  it("barycentric projection of the EMD plan between uniform clouds is a permutation of y", () => {
    const x = X.normal(X.rng(4), [6, 2]);
    const y = X.normal(X.rng(5), [6, 2]);
    const T = barycentricProjection(emd([], [], dist(x, y)).plan, y);
    expect(emd([], [], dist(T, y)).cost).toBeLessThan(1e-12);
  });

  it("entropic map recovers a translation as reg → 0", () => {
    const x = X.normal(X.rng(6), [30, 2]);
    const y = X.add(x, X.tensor([2, -1]));
    const z = X.mul(0.5, X.normal(X.rng(7), [5, 2]));
    const coarse = entropicMap(x, y, 1, { tol: 1e-10 }).map(z);
    const fine = entropicMap(x, y, 0.05, { tol: 1e-10, maxIter: 20000 }).map(z);
    const err = (t: X.Tensor) => X.max(X.abs(X.sub(t, X.add(z, X.tensor([2, -1]))))).item();
    expect(err(fine)).toBeLessThan(err(coarse));
    expect(err(fine)).toBeLessThan(0.25);
  });
});
