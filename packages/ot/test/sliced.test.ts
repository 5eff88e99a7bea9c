import * as X from "@x/tensor";
import { expectClose, gradCheck } from "@x/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { emd, maxSlicedWassersteinDistance, slicedWassersteinDistance, wasserstein1d } from "../src/index.js";
import { ref } from "./fixtures.js";

describe("wasserstein1d", () => {
  it("matches POT wasserstein_1d for p = 1, 2, 3", () => {
    const c = ref.w1d;
    for (const p of [1, 2, 3]) expectClose(wasserstein1d(c.u, c.v, c.uw, c.vw, p).item(), c[`p${p}`], { rtol: 1e-12 });
  });

  it("equals EMD with cost |x − y|^p on 1-D inputs (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e6 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 8 }),
        fc.constantFrom(1, 1.5, 2, 3),
        (seed, n, m, p) => {
          const [k1, k2, k3, k4] = X.split(X.rng(seed), 4) as [X.Key, X.Key, X.Key, X.Key];
          const u = X.normal(k1, [n]);
          const v = X.normal(k2, [m]);
          const a = X.softmax(X.normal(k3, [n]));
          const b = X.softmax(X.normal(k4, [m]));
          const M = X.pow(X.abs(X.sub(X.reshape(u, [n, 1]), X.reshape(v, [1, m]))), p);
          const e = emd(a, b, M).cost;
          expectClose(wasserstein1d(u, v, a, b, p).item(), e, { rtol: 1e-9, atol: 1e-12 });
        },
      ),
      { numRuns: 60 },
    );
  });

  it("is differentiable in the positions (gradCheck)", () => {
    const v = [0.3, -1.2, 2.0];
    const r = gradCheck((u) => wasserstein1d(u, v, [0.2, 0.3, 0.1, 0.4], [0.5, 0.25, 0.25], 2), [0.1, -0.7, 1.5, 0.9]);
    expect(r.ok, r.details).toBe(true);
  });

  it("rejects p < 1, NaN samples, bad weights", () => {
    expect(() => wasserstein1d([0, 1], [1], undefined, undefined, 0.5)).toThrow(/p must be ≥ 1/);
    expect(() => wasserstein1d([0, Number.NaN], [1])).toThrow(/u must be finite/);
    expect(() => wasserstein1d([0, 1], [1], [0.5, -0.5])).toThrow(/uWeights must be non-negative/);
    expect(() => wasserstein1d([0, 1], [1], [1, 1, 1])).toThrow(/uWeights has 3 entries/);
  });
});

describe("sliced Wasserstein", () => {
  const c = ref.sliced;
  it("matches POT with the same projections", () => {
    expectClose(slicedWassersteinDistance(c.xs, c.xt, { projections: c.projections }).item(), c.sw2, { rtol: 1e-10 });
    expectClose(slicedWassersteinDistance(c.xs, c.xt, { projections: c.projections, p: 1 }).item(), c.sw1, {
      rtol: 1e-10,
    });
    expectClose(maxSlicedWassersteinDistance(c.xs, c.xt, { projections: c.projections }).item(), c.msw2, {
      rtol: 1e-10,
    });
  });

  it("seeded projections are reproducible; SW ≤ max-SW ≤ W_2 (EMD)", () => {
    const s1 = slicedWassersteinDistance(c.xs, c.xt, { seed: 3, nProjections: 40 }).item();
    const s2 = slicedWassersteinDistance(c.xs, c.xt, { seed: 3, nProjections: 40 }).item();
    expect(s1).toBe(s2);
    const ms = maxSlicedWassersteinDistance(c.xs, c.xt, { seed: 3, nProjections: 40 }).item();
    const w2 = Math.sqrt(
      emd(
        [],
        [],
        X.pow(X.norm(X.sub(X.expandDims(X.tensor(c.xs), 1), X.expandDims(X.tensor(c.xt), 0)), { axis: 2 }), 2),
      ).cost,
    );
    expect(s1).toBeLessThanOrEqual(ms + 1e-12);
    expect(ms).toBeLessThanOrEqual(w2 + 1e-9);
  });

  it("gradient w.r.t. the source points (gradCheck)", () => {
    const xt = X.normal(X.rng(9), [5, 2]);
    const r = gradCheck(
      (x) => slicedWassersteinDistance(x, xt, { seed: 1, nProjections: 5 }),
      X.normal(X.rng(8), [4, 2]),
    );
    expect(r.ok, r.details).toBe(true);
  });

  it("rejects mismatched dimensions", () => {
    expect(() => slicedWassersteinDistance([[0, 1]], [[0, 1, 2]])).toThrow(/point sets/);
    expect(() => slicedWassersteinDistance([[0, 1]], [[0, 1]], { projections: [[1, 0, 0]] })).toThrow(/projections/);
  });
});
