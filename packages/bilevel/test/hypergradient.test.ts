import * as X from "@x/tensor";
import { expectClose } from "@x/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hypergradient, ridgeProblem } from "../src/index.js";

const arbRidge = fc.record({
  seed: fc.integer({ min: 0, max: 1 << 30 }),
  lam: fc.double({ min: -1, max: 1.5, noNaN: true }),
});

function ridgeOf(seed: number, n = 12, d = 3) {
  const [k1, k2, k3, k4] = X.split(X.rng(seed), 4) as [X.Key, X.Key, X.Key, X.Key];
  return ridgeProblem(X.normal(k1, [n, d]), X.normal(k2, [n]), X.normal(k3, [8, d]), X.normal(k4, [8]));
}

const rel = (a: X.Tensor, b: X.Tensor) => X.norm(X.sub(a, b)).item() / Math.max(X.norm(b).item(), 1e-12);

describe("hypergradient", () => {
  it("implicit (L-BFGS inner + CG) = closed form on random ridge", () => {
    fc.assert(
      fc.property(arbRidge, ({ seed, lam }) => {
        const p = ridgeOf(seed);
        const r = hypergradient(p.outer, p.inner, lam, { x0: p.x0, method: "implicit" });
        const cf = p.closedForm(lam);
        expect(r.innerResult.converged).toBe(true);
        expect(r.linearSolve.converged).toBe(true);
        expectClose(r.grad, cf.grad, { rtol: 1e-6, atol: 1e-8 }, "grad");
        expectClose(r.value, cf.value, { rtol: 1e-8, atol: 1e-10 }, "value");
        expectClose(r.x, cf.w, { rtol: 1e-6, atol: 1e-8 }, "x");
      }),
      { numRuns: 8 },
    );
  });

  it("unrolled → implicit as the number of inner steps grows (GD and momentum)", () => {
    fc.assert(
      // λ ≥ 0.5 keeps the inner condition number ≲ 20, so 300 steps contract the error by ≥ e⁻¹⁵.
      fc.property(
        arbRidge,
        fc.double({ min: 0.5, max: 1.5, noNaN: true }),
        fc.constantFrom(0, 0.5),
        ({ seed }, lam, momentum) => {
          const p = ridgeOf(seed);
          const exact = p.closedForm(lam).grad;
          const errs = [10, 40, 300].map((K) =>
            rel(
              hypergradient(p.outer, p.inner, lam, { x0: p.x0, method: "unrolled", innerSteps: K, momentum }).grad,
              exact,
            ),
          );
          // Eventually linear convergence: the longest unroll is close and beats the short one.
          expect(errs[2]!).toBeLessThan(1e-3);
          expect(errs[2]!).toBeLessThanOrEqual(errs[0]! + 1e-12);
        },
      ),
      { numRuns: 2 },
    );
  });

  it("checkpointing changes memory, not the result; truncation is exact at T = K", () => {
    const p = ridgeOf(7);
    const base = hypergradient(p.outer, p.inner, 0.3, { x0: p.x0, method: "unrolled", innerSteps: 30, innerLr: 0.02 });
    for (const checkpoint of [1, 4, 7, 30]) {
      const r = hypergradient(p.outer, p.inner, 0.3, {
        x0: p.x0,
        method: "unrolled",
        innerSteps: 30,
        innerLr: 0.02,
        checkpoint,
      });
      expectClose(r.grad, base.grad, { rtol: 1e-10, atol: 1e-13 }, `checkpoint ${checkpoint}`);
    }
    const t30 = hypergradient(p.outer, p.inner, 0.3, {
      x0: p.x0,
      method: "unrolled",
      innerSteps: 30,
      innerLr: 0.02,
      truncate: 30,
    });
    expectClose(t30.grad, base.grad, { rtol: 1e-12, atol: 1e-14 });
    const t5 = hypergradient(p.outer, p.inner, 0.3, {
      x0: p.x0,
      method: "unrolled",
      innerSteps: 30,
      innerLr: 0.02,
      truncate: 5,
    });
    expect(rel(t5.grad, base.grad)).toBeGreaterThan(1e-8);
  });

  it("penalty-method error shrinks with σ", () => {
    fc.assert(
      fc.property(arbRidge, ({ seed, lam }) => {
        const p = ridgeOf(seed);
        const exact = p.closedForm(lam).grad;
        // err(σ) = cσ + O(σ²): with σ·‖∇²f‖/μ ≪ 1 each tenfold cut of σ cuts the error ~tenfold, down to
        // the floor (inner precision)/σ, which the absolute slack covers.
        const errs = [1e-3, 1e-4, 1e-5].map((sigma) =>
          X.norm(
            X.sub(hypergradient(p.outer, p.inner, lam, { x0: p.x0, method: "penalty", sigma }).grad, exact),
          ).item(),
        );
        const slack = 1e-6 * (1 + X.norm(exact).item());
        expect(errs[1]!).toBeLessThanOrEqual(0.5 * errs[0]! + slack);
        expect(errs[2]!).toBeLessThanOrEqual(0.5 * errs[1]! + slack);
        expect(errs[0]!).toBeLessThanOrEqual(1e-3 * 100 * (1 + X.norm(exact).item()));
      }),
      { numRuns: 6 },
    );
  });

  it("bad input: missing x0, unknown method, bad unrolled options", () => {
    const p = ridgeOf(1);
    expect(() => hypergradient(p.outer, p.inner, 0, undefined as never)).toThrow(/x0/);
    expect(() => hypergradient(p.outer, p.inner, 0, { x0: p.x0, method: "magic" as never })).toThrow(/method/);
    expect(() => hypergradient(p.outer, p.inner, 0, { x0: p.x0, method: "unrolled", innerLr: -1 })).toThrow(/innerLr/);
    expect(() => hypergradient(p.outer, p.inner, 0, { x0: p.x0, method: "penalty", sigma: 0 })).toThrow(/sigma/);
  });

  it("non-converged inner solver is surfaced in the result", () => {
    const p = ridgeOf(2);
    const r = hypergradient(p.outer, p.inner, 0, { x0: p.x0, innerMaxIter: 1 });
    expect(r.innerResult.converged).toBe(false);
    const u = hypergradient(p.outer, p.inner, 0, { x0: p.x0, method: "unrolled", innerSteps: 2 });
    expect(u.innerResult.converged).toBe(false);
    expect(u.innerResult.iterations).toBe(2);
  });
});
