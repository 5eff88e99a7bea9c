import * as X from "@x/tensor";
import { arbCostMatrix, arbSimplex, expectClose } from "@x/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { emd, quadraticOt } from "../src/index.js";
import { ref } from "./fixtures.js";

describe("quadratically regularised OT", () => {
  it("matches POT smooth_ot_dual (l2)", () => {
    const c = ref.quadratic;
    const r = quadraticOt(c.a, c.b, c.M, c.reg, { tol: 1e-7, maxIter: 5000 });
    expect(r.converged).toBe(true);
    expectClose(r.plan, c.plan, { rtol: 1e-4, atol: 1e-6 });
  });

  it("plans are non-negative, fit the marginals, and cost ≥ EMD (property)", () => {
    fc.assert(
      fc.property(
        arbSimplex(5, 0.02),
        arbSimplex(4, 0.02),
        arbCostMatrix(5, 4),
        fc.constantFrom(0.05, 0.5, 5),
        (a, b, M, reg) => {
          const r = quadraticOt(a, b, M, reg, { tol: 1e-7, maxIter: 5000 });
          expect(r.converged).toBe(true);
          expect(r.plan.data.every((p) => p >= 0)).toBe(true);
          X.sum(r.plan, { axis: 1 }).data.forEach((s, i) => expect(Math.abs(s - a.data[i]!)).toBeLessThan(1e-7));
          X.sum(r.plan, { axis: 0 }).data.forEach((s, j) => expect(Math.abs(s - b.data[j]!)).toBeLessThan(1e-7));
          expect(r.cost).toBeGreaterThanOrEqual(emd(a, b, M).cost - 1e-6);
        },
      ),
      { numRuns: 30 },
    );
  });

  it("rejects reg ≤ 0", () => {
    expect(() => quadraticOt([1], [1], [[0]], 0)).toThrow(/reg must be a finite number > 0/);
  });
});
