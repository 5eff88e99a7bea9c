import { lstsq } from "@x/linalg";
import * as X from "@x/tensor";
import { arbMatrix, arbValues } from "@x/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { leastSquares } from "../src/index.js";
import fixtures from "./fixtures/least-squares.json";
import { maxAbsDiff } from "./problems.js";

type Case = (typeof fixtures.cases)[number];
function residualsOf(c: Case): (p: X.Tensor) => X.Tensor {
  const s = (p: X.Tensor, i: number) => X.reshape(X.slice(p, [[i, i + 1]]), []);
  if (c.problem === "rosenbrock") {
    return (p) => X.stack([X.mul(10, X.sub(s(p, 1), X.square(s(p, 0)))), X.sub(1, s(p, 0))]);
  }
  const t = X.tensor(c.t!);
  const y = X.tensor(c.y!);
  if (c.problem === "exp-decay") {
    return (p) => X.sub(X.add(X.mul(s(p, 0), X.exp(X.mul(X.neg(s(p, 1)), t))), s(p, 2)), y);
  }
  return (p) => X.sub(X.mul(s(p, 0), X.exp(X.div(X.neg(X.square(X.sub(t, s(p, 1)))), X.mul(2, X.square(s(p, 2)))))), y);
}

describe("leastSquares vs SciPy 1.10 least_squares(method='lm') (tooling/reference/second-order-least-squares.py)", () => {
  for (const c of fixtures.cases) {
    for (const method of ["lm", "gn"] as const) {
      it(`${c.problem} ${method}`, () => {
        const r = leastSquares(residualsOf(c), c.x0, { method, gtol: 1e-12, xtol: 1e-14, ftol: 1e-15 });
        expect(r.converged).toBe(true);
        expect(maxAbsDiff(r.x.data, c.x)).toBeLessThan(1e-7);
        expect(r.cost).toBeCloseTo(c.cost, 12);
      });
    }
  }
});

describe("leastSquares properties", () => {
  it("reaches the exact least-squares solution of a linear problem (LM and GN)", () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 4 })
          .chain((n) => fc.tuple(arbMatrix(n + 3, n, { min: -2, max: 2 }), arbValues(n + 3, { min: -3, max: 3 }))),
        ([Araw, bv]) => {
          const n = Araw.shape[1]!;
          // Add a multiple of [I; 0] so A has full column rank with σ_min ≥ 1.
          const A = X.add(Araw, X.concat([X.mul(4, X.eye(n)), X.zeros([3, n])], 0));
          const b = X.tensor(bv);
          const exact = lstsq(A, b).x.data;
          for (const method of ["lm", "gn"] as const) {
            const r = leastSquares((x) => X.sub(X.matmul(A, x), b), X.zeros([n]), {
              method,
              gtol: 1e-12,
              ftol: 0,
              xtol: 1e-15,
            });
            expect(r.converged).toBe(true);
            expect(maxAbsDiff(r.x.data, exact)).toBeLessThan(1e-8);
          }
          // Gauss–Newton is exact in one step on a linear problem.
          const gn = leastSquares((x) => X.sub(X.matmul(A, x), b), X.zeros([n]), { method: "gn", gtol: 1e-12 });
          expect(gn.history.length).toBeLessThanOrEqual(3);
        },
      ),
      { numRuns: 30 },
    );
  });

  it("the cost history decreases monotonically", () => {
    const c = fixtures.cases[2]!;
    for (const method of ["lm", "gn"] as const) {
      const r = leastSquares(residualsOf(c), c.x0, { method });
      for (let i = 1; i < r.history.length; i++) expect(r.history[i]!).toBeLessThan(r.history[i - 1]!);
    }
  });
});

describe("leastSquares over pytrees and with a callback", () => {
  it("fits a pytree { amp, rate } (exp decay) to the same solution as the flat vector form", () => {
    const c = fixtures.cases.find((k) => k.problem === "exp-decay")!;
    const t = X.tensor(c.t!);
    const y = X.tensor(c.y!);
    type P = { amp: X.Tensor; rest: { rate: X.Tensor; offset: X.Tensor } };
    const res = (p: P) => X.sub(X.add(X.mul(p.amp, X.exp(X.mul(X.neg(p.rest.rate), t))), p.rest.offset), y);
    const x0: P = { amp: X.tensor([c.x0[0]!]), rest: { rate: X.tensor([c.x0[1]!]), offset: X.tensor([c.x0[2]!]) } };
    for (const method of ["lm", "gn"] as const) {
      const r = leastSquares(res, x0, { method, gtol: 1e-12, xtol: 1e-14, ftol: 1e-15 });
      expect(r.converged).toBe(true);
      expect(r.x.amp.shape).toEqual([1]);
      expect(maxAbsDiff([r.x.amp.data[0]!, r.x.rest.rate.data[0]!, r.x.rest.offset.data[0]!], c.x)).toBeLessThan(1e-7);
      expect(r.cost).toBeCloseTo(c.cost, 12);
      expect(r.jac.shape).toEqual([c.t!.length, 3]);
    }
  });

  it("calls the callback once per accepted step with the pytree iterate, and stops when it returns true", () => {
    const c = fixtures.cases[2]!;
    const seen: number[] = [];
    const costs: number[] = [];
    const r = leastSquares(residualsOf(c), c.x0, {
      callback: (info) => {
        seen.push(info.iteration);
        costs.push(info.cost);
        expect(info.x.shape).toEqual([c.x0.length]);
      },
    });
    expect(seen).toEqual(Array.from({ length: r.history.length - 1 }, (_, i) => i + 1));
    expect(costs).toEqual(r.history.slice(1));
    const stopped = leastSquares(residualsOf(c), c.x0, { callback: (info) => info.iteration >= 2 });
    expect(stopped.converged).toBe(false);
    expect(stopped.message).toBe("stopped by callback");
    expect(stopped.iterations).toBe(2);
    expect(() => leastSquares(residualsOf(c), c.x0, { callback: 1 as never })).toThrow(/callback must be a function/);
  });
});

describe("leastSquares bad input", () => {
  const res = (x: X.Tensor) => X.sub(x, 1);
  it("rejects bad x0, methods and residual shapes", () => {
    expect(() => leastSquares(res, [Number.NaN])).toThrow(/x0 must be finite/);
    expect(() => leastSquares(res, [])).toThrow(/x0 has no entries/);
    expect(() => leastSquares(res, [1], { method: "qr" as "lm" })).toThrow(/method must be 'lm' or 'gn'/);
    expect(() => leastSquares((x) => X.sum(x), [1, 2])).toThrow(/residuals must return a vector/);
  });
  it("reports non-finite residuals at x0 and maxIter as not converged", () => {
    const r = leastSquares((x) => X.log(x), [-1]);
    expect(r.converged).toBe(false);
    expect(r.message).toMatch(/not finite at x0/);
    const c = fixtures.cases[0]!;
    const m = leastSquares(residualsOf(c), c.x0, { maxIter: 2 });
    expect(m.converged).toBe(false);
    expect(m.iterations).toBe(2);
  });
});
