import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { simplexMax } from "../src/simplex.js";

const F = (a: number[]) => Float64Array.from(a);

describe("simplexMax on LPs with known optima", () => {
  it("CLRS §29.3: max 3x₁ + x₂ + 2x₃ → 28 at (8, 4, 0)", () => {
    const r = simplexMax(F([1, 1, 3, 2, 2, 5, 4, 1, 2]), F([30, 24, 36]), F([3, 1, 2]), 3, 3);
    expect(r.status).toBe("optimal");
    expect(r.objective).toBeCloseTo(28, 12);
    expect(Array.from(r.x)).toEqual([expect.closeTo(8, 12), expect.closeTo(4, 12), expect.closeTo(0, 12)]);
    // dual optimum (0, 1/6, 2/3): bᵀy = 28
    expect(r.dual[1]!).toBeCloseTo(1 / 6, 12);
    expect(r.dual[2]!).toBeCloseTo(2 / 3, 12);
  });

  it("needs Phase I (x = 0 infeasible): max x₁ + x₂ s.t. x₁ + x₂ ≥ 1, x₁ ≤ 2, x₂ ≤ 3 → 5", () => {
    const r = simplexMax(F([-1, -1, 1, 0, 0, 1]), F([-1, 2, 3]), F([1, 1]), 3, 2);
    expect(r.status).toBe("optimal");
    expect(r.objective).toBeCloseTo(5, 12);
  });

  it("min x₁ + 2x₂ s.t. x₁ + x₂ ≥ 2, x₁ ≤ 1.5 → 2.5 at (1.5, 0.5) with Phase I", () => {
    const r = simplexMax(F([-1, -1, 1, 0]), F([-2, 1.5]), F([-1, -2]), 2, 2);
    expect(r.status).toBe("optimal");
    expect(-r.objective).toBeCloseTo(2.5, 12);
    expect(r.x[0]!).toBeCloseTo(1.5, 12);
    expect(r.x[1]!).toBeCloseTo(0.5, 12);
  });

  it("reports infeasible with a Farkas combination, and unbounded", () => {
    // x₁ + x₂ ≤ 1 and x₁ + x₂ ≥ 2
    const inf = simplexMax(F([1, 1, -1, -1]), F([1, -2]), F([1, 0]), 2, 2);
    expect(inf.status).toBe("infeasible");
    // yᵀA ≥ 0 and yᵀb < 0 certify that {A x ≤ b, x ≥ 0} is empty
    const y = inf.dual;
    expect(y[0]! * 1 + y[1]! * -1).toBeGreaterThanOrEqual(-1e-12);
    expect(y[0]! * 1 + y[1]! * -2).toBeLessThan(0);
    expect(simplexMax(F([-1, 1]), F([1]), F([1, 0]), 1, 2).status).toBe("unbounded");
  });

  it("Beale's cycling example (Dantzig's rule cycles on it): optimum 5/4 at (1, 0, 1, 0)", () => {
    // max ¾x₁ − 20x₂ + ½x₃ − 6x₄ s.t. ¼x₁ − 8x₂ − x₃ + 9x₄ ≤ 0, ½x₁ − 12x₂ − ½x₃ + 3x₄ ≤ 0, x₃ ≤ 1
    const A = F([0.25, -8, -1, 9, 0.5, -12, -0.5, 3, 0, 0, 1, 0]);
    const r = simplexMax(A, F([0, 0, 1]), F([0.75, -20, 0.5, -6]), 3, 4);
    expect(r.status).toBe("optimal");
    expect(r.objective).toBeCloseTo(1.25, 12);
    expect(r.x[0]!).toBeCloseTo(1, 12);
    expect(r.x[2]!).toBeCloseTo(1, 12);
  });

  it("rejects bad shapes and non-finite data", () => {
    expect(() => simplexMax(F([1, 2]), F([1]), F([1]), 1, 1)).toThrow(/must be 1×1/);
    expect(() => simplexMax(F([Number.NaN]), F([1]), F([1]), 1, 1)).toThrow(/finite/);
  });
});

// Random bounded LPs (a box 0 ≤ x ≤ u plus random rows through a known feasible point): the optimum must be primal
// feasible, dual feasible (yᵀA ≥ c, y ≥ 0), close its duality gap, and beat every sampled feasible point.
describe("simplexMax optimality conditions on random bounded LPs", () => {
  it("primal/dual feasible, zero duality gap, never beaten by a feasible sample", () => {
    const coef = fc.double({ min: -3, max: 3, noNaN: true });
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 5 })
          .chain((n) =>
            fc.tuple(
              fc.constant(n),
              fc.array(fc.array(coef, { minLength: n, maxLength: n }), { minLength: 1, maxLength: 8 }),
              fc.array(fc.double({ min: 0.1, max: 2, noNaN: true }), { minLength: n, maxLength: n }),
              fc.array(coef, { minLength: n, maxLength: n }),
              fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: n, maxLength: n }),
              fc.array(fc.double({ min: -0.5, max: 1, noNaN: true }), { minLength: 8, maxLength: 8 }),
            ),
          ),
        ([n, rows, ub, c, t, slack]) => {
          // feasible point x0 = t ⊙ ub; row i: aᵢ·x ≤ aᵢ·x0 + slackᵢ (slack may be negative only if x0 is not needed)
          const x0 = t.map((v, j) => v * ub[j]!);
          const m = rows.length + n;
          const A = new Float64Array(m * n);
          const b = new Float64Array(m);
          rows.forEach((a, i) => {
            A.set(a, i * n);
            b[i] = a.reduce((s, v, j) => s + v * x0[j]!, 0) + Math.max(0, slack[i]!);
          });
          for (let j = 0; j < n; j++) {
            A[(rows.length + j) * n + j] = 1;
            b[rows.length + j] = ub[j]!;
          }
          const r = simplexMax(A, b, F(c), m, n);
          expect(r.status).toBe("optimal");
          const tol = 1e-8;
          for (let i = 0; i < m; i++) {
            let s = 0;
            for (let j = 0; j < n; j++) s += A[i * n + j]! * r.x[j]!;
            expect(s).toBeLessThanOrEqual(b[i]! + tol);
          }
          for (let j = 0; j < n; j++) {
            expect(r.x[j]!).toBeGreaterThanOrEqual(0);
            let s = 0;
            for (let i = 0; i < m; i++) s += r.dual[i]! * A[i * n + j]!;
            expect(s).toBeGreaterThanOrEqual(c[j]! - tol);
          }
          const dualObj = r.dual.reduce((s, y, i) => s + y * b[i]!, 0);
          expect(Math.abs(dualObj - r.objective)).toBeLessThanOrEqual(tol * (1 + Math.abs(r.objective)));
          const cx0 = c.reduce((s, v, j) => s + v * x0[j]!, 0);
          expect(r.objective).toBeGreaterThanOrEqual(cx0 - tol);
        },
      ),
      { numRuns: 200 },
    );
  });
});
