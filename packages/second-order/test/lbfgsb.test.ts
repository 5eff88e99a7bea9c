import * as X from "@x/tensor";
import { arbSPD, arbValues } from "@x/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { minimize } from "../src/index.js";
import { projectedGradientNorm } from "../src/lbfgsb.js";
import type { MinimizeOptions } from "../src/types.js";
import fixtures from "./fixtures/minimize.json";
import { maxAbsDiff, quadratic, rosen } from "./problems.js";

const run = (f: (x: X.Tensor) => X.Tensor, x0: number[], opts: MinimizeOptions) =>
  minimize(f, X.tensor(x0), { ...opts, method: "lbfgsb" });

describe("lbfgsb (projected two-metric L-BFGS)", () => {
  for (const c of fixtures.bounded) {
    it(`matches SciPy L-BFGS-B on bounded Rosenbrock from [${c.x0}]`, () => {
      const r = run(rosen, c.x0, { lower: c.lower, upper: c.upper, tol: 1e-10, maxIter: 500 });
      expect(r.converged).toBe(true);
      expect(maxAbsDiff((r.x as X.Tensor).data, c.x)).toBeLessThan(1e-6);
      expect(Math.abs(r.fun - c.fun)).toBeLessThan(1e-9);
      expect(r.iterations).toBeLessThanOrEqual(3 * c.nit);
    });
  }

  it("satisfies KKT (projected gradient ≈ 0) on random convex quadratics with a box", () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 5 })
          .chain((n) =>
            fc.tuple(
              arbSPD(n, 0.5),
              arbValues(n, { min: -3, max: 3 }),
              arbValues(n, { min: -1, max: 0 }),
              arbValues(n, { min: 0.1, max: 2 }),
              arbValues(n, { min: -4, max: 4 }),
            ),
          ),
        ([A, bv, lower, width, x0]) => {
          const upper = lower.map((l, i) => l + width[i]!);
          const r = run(quadratic(A, X.tensor(bv)), x0, { lower, upper, tol: 1e-10, maxIter: 2000 });
          expect(r.converged).toBe(true);
          const x = (r.x as X.Tensor).data;
          for (let i = 0; i < x.length; i++) {
            expect(x[i]!).toBeGreaterThanOrEqual(lower[i]!);
            expect(x[i]!).toBeLessThanOrEqual(upper[i]!);
          }
          const g = (r.grad as X.Tensor).data;
          expect(projectedGradientNorm(x, g, Float64Array.from(lower), Float64Array.from(upper))).toBeLessThan(1e-9);
          // f never increases along the projected iterates — beyond its rounding, where the approximate Armijo
          // test judges steps by slopes (FC_SEED=8675309: +1 ulp of f ≈ 0.0625 on the step that reached ‖∇f‖ ≈ 0).
          for (let k = 1; k < r.history.length; k++) {
            const prev = r.history[k - 1]!;
            expect(r.history[k]!).toBeLessThanOrEqual(prev + 4 * 2 ** -52 * Math.abs(prev));
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it("takes the last step that f cannot resolve (approximate Armijo; FC_SEED=8675309 regression)", () => {
    // x*₁ = 9.1e-9 changes f ≈ 0.0625 by ~1e-17 < ε|f|: plain Armijo rejected every step and stopped with ‖g‖ ≈ 4.6e-9.
    const A = X.tensor([
      [0.5, 0, 0],
      [0, 0.5, 0],
      [0, 0, 0.5],
    ]);
    const r = run(quadratic(A, X.tensor([4.5625301874860726e-9, 0, 0])), [0, 0, 0], {
      lower: [0, 0, -0.6],
      upper: [0.1, 0.1, -0.5],
      tol: 1e-10,
      maxIter: 2000,
    });
    expect(r.converged).toBe(true);
    expect(maxAbsDiff((r.x as X.Tensor).data, [9.125060374972145e-9, 0, -0.5])).toBeLessThan(1e-12);
  });

  it("with infinite bounds agrees with the unconstrained minimiser", () => {
    const r = run(rosen, [-1.2, 1], { tol: 1e-9, maxIter: 500 });
    expect(r.converged).toBe(true);
    expect(maxAbsDiff((r.x as X.Tensor).data, [1, 1])).toBeLessThan(1e-6);
  });

  it("projects an x0 outside the box and rejects lower > upper naming the index", () => {
    const r = run(rosen, [10, -10], { lower: [-2, -2], upper: [0.5, 2], tol: 1e-10 });
    expect(maxAbsDiff((r.x as X.Tensor).data, [0.5, 0.25])).toBeLessThan(1e-6);
    expect(() => run(rosen, [0, 0], { lower: [0, 3], upper: [1, 2] })).toThrow(/lower\[1\]/);
    expect(() => run(rosen, [0, 0], { lower: [0, 0, 0] })).toThrow(/lower/);
    expect(() => run(rosen, [0, 0], { lower: [0, Number.NaN] })).toThrow(/NaN/);
  });
});
