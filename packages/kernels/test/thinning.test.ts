import * as X from "@x/tensor";
import { expectClose } from "@x/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { kernelHerding, kernelThinning, matern, mmd2, rbf } from "../src/index.js";

const arbPoints = (n: number, d: number) =>
  fc
    .array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: n * d, maxLength: n * d })
    .map((v) => X.tensor(v, [n, d]));

describe("kernel thinning", () => {
  it("KT MMD is below that of a uniform subsample of the same size (fixed seeds 0–4, n = 256 → 16)", () => {
    const k = rbf({ lengthscale: 1 });
    for (let s = 0; s < 5; s++) {
      const x = X.normal(X.rng(s), [256, 2]);
      const r = kernelThinning(k, x, { rounds: 4, seed: s });
      expect(r.indices.length).toBe(16);
      const perm = Array.from(X.permutation(X.rng(100 + s), 256).data).slice(0, 16);
      const uniform = mmd2(k, X.take(x, X.tensor(perm), 0), x, { estimator: "biased" }).item();
      expect(r.mmd2).toBeLessThan(uniform / 3);
    }
  });

  it("returns ⌊n/2^m⌋ valid indices, reports the coreset's MMD², and swapping never increases it", () => {
    fc.assert(
      fc.property(arbPoints(24, 2), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 1000 }), (x, m, seed) => {
        const k = matern({ nu: 1.5 });
        const r = kernelThinning(k, x, { rounds: m, seed });
        expect(r.indices.length).toBe(Math.floor(24 / 2 ** m));
        for (const i of r.indices) expect(Number.isInteger(i) && i >= 0 && i < 24).toBe(true);
        expect(r.mmd2).toBeLessThanOrEqual(r.mmd2BeforeSwap + 1e-12);
        const direct = mmd2(k, X.take(x, X.tensor(r.indices), 0), x, { estimator: "biased" }).item();
        expectClose([r.mmd2], [direct], { rtol: 1e-8, atol: 1e-12 });
        const noSwap = kernelThinning(k, x, { rounds: m, seed, swap: false });
        expectClose([noSwap.mmd2], [r.mmd2BeforeSwap], { rtol: 1e-12, atol: 1e-14 });
      }),
      { numRuns: 30 },
    );
  });

  it("bad input", () => {
    expect(() => kernelThinning(rbf(), [[1], [2]], { rounds: 2 })).toThrow(/rounds/);
    expect(() => kernelThinning(rbf(), [[1], [2]], { rounds: 1, delta: 2 })).toThrow(/delta/);
    expect(() => kernelHerding(rbf(), [[1], [2]], { size: 0 })).toThrow(/size/);
  });
});

describe("kernel herding", () => {
  it("each step picks the candidate that minimises MMD² of the enlarged set (stationary kernel)", () => {
    fc.assert(
      fc.property(arbPoints(12, 2), fc.integer({ min: 1, max: 6 }), (x, size) => {
        const k = rbf({ lengthscale: 0.8 });
        const r = kernelHerding(k, x, { size });
        for (let t = 0; t < size; t++) {
          const prefix = r.indices.slice(0, t);
          const vals = Array.from({ length: 12 }, (_, c) =>
            mmd2(k, X.take(x, X.tensor([...prefix, c]), 0), x, { estimator: "biased" }).item(),
          );
          const chosen = vals[r.indices[t]!]!;
          expect(chosen).toBeLessThanOrEqual(Math.min(...vals) + 1e-10);
          expectClose([r.mmd2[t]!], [chosen], { rtol: 1e-8, atol: 1e-12 });
        }
      }),
      { numRuns: 15 },
    );
  });
});
