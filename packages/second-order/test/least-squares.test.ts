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
