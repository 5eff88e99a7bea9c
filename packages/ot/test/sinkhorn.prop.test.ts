import * as X from "@x/tensor";
import { arbCostMatrix, arbSimplex } from "@x/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { emd, sinkhorn, sinkhornDivergence } from "../src/index.js";

const arbProblem = fc
  .tuple(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 7 }))
  .chain(([n1, n2]) => fc.tuple(arbSimplex(n1, 0.02), arbSimplex(n2, 0.02), arbCostMatrix(n1, n2)));

const rowCol = (P: X.Tensor) => [X.sum(P, { axis: 1 }).data, X.sum(P, { axis: 0 }).data] as const;

describe("sinkhorn properties", () => {
  it("converged plans match both marginals; all four methods agree", () => {
    fc.assert(
      fc.property(arbProblem, fc.constantFrom(0.5, 1, 2), ([a, b, M], reg) => {
        const results = (["sinkhorn", "log", "stabilized", "epsScaling"] as const).map((method) =>
          sinkhorn(a, b, M, reg, { method, tol: 1e-11, maxIter: 20000 }),
        );
        for (const r of results) {
          expect(r.converged).toBe(true);
          const [rs, cs] = rowCol(r.plan);
          rs.forEach((s, i) => expect(Math.abs(s - a.data[i]!)).toBeLessThan(1e-9));
          cs.forEach((s, j) => expect(Math.abs(s - b.data[j]!)).toBeLessThan(1e-9));
          expect(Math.abs(r.cost - results[1]!.cost)).toBeLessThan(1e-7 * (1 + Math.abs(r.cost)));
        }
      }),
      { numRuns: 40 },
    );
  });

  it("Sinkhorn → EMD as reg → 0: 0 ≤ ⟨P_reg, M⟩ − EMD ≤ reg·log(n1·n2) (+ fit error)", () => {
    fc.assert(
      fc.property(arbProblem, fc.constantFrom(0.2, 0.05, 0.01), ([a, b, M], reg) => {
        const r = sinkhorn(a, b, M, reg, { method: "log", tol: 1e-12, maxIter: 200000 });
        expect(r.converged).toBe(true);
        const e = emd(a, b, M).cost;
        const n = a.size * b.size;
        expect(r.cost).toBeGreaterThanOrEqual(e - 1e-7);
        expect(r.cost - e).toBeLessThanOrEqual(reg * Math.log(n) + 1e-7);
      }),
      { numRuns: 40 },
    );
  });

  it("residual history ends below tol when converged", () => {
    fc.assert(
      fc.property(arbProblem, ([a, b, M]) => {
        const r = sinkhorn(a, b, M, 0.3, { method: "log", tol: 1e-10, maxIter: 50000 });
        expect(r.errors.length).toBe(r.iterations);
        expect(r.residual).toBeLessThan(1e-10);
      }),
      { numRuns: 30 },
    );
  });

  it("Sinkhorn divergence is ≥ 0 and vanishes for identical clouds", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 1, max: 5 }), (seed, n) => {
        const [k1, k2] = X.split(X.rng(seed), 2) as [X.Key, X.Key];
        const x = X.normal(k1, [n, 2]);
        const y = X.normal(k2, [n + 1, 2]);
        const o = { tol: 1e-12, maxIter: 100000 };
        expect(sinkhornDivergence(x, y, 0.5, o).item()).toBeGreaterThanOrEqual(-1e-9);
        expect(Math.abs(sinkhornDivergence(x, x, 0.5, o).item())).toBeLessThan(1e-9);
      }),
      { numRuns: 15 },
    );
  });
});
