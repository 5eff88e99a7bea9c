import { grad, type Key, normal, rng, softmax, split, tensor, uniform } from "@x/tensor";
import { arbCostMatrix, arbSimplex, close, gradCheck } from "@x/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { emd, emd2, linearSumAssignment } from "../src/index.js";

const arbProblem = fc
  .tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }))
  .chain(([n1, n2]) => fc.tuple(arbSimplex(n1), arbSimplex(n2), arbCostMatrix(n1, n2)));

describe("emd properties", () => {
  it("plan marginals hold, duality gap is 0, reduced costs ≥ 0, cost ≤ product plan", () => {
    fc.assert(
      fc.property(arbProblem, ([a, b, M]) => {
        const r = emd(a, b, M);
        const [n1, n2] = M.shape as [number, number];
        const P = r.plan.data;
        const C = M.data;
        const u = r.u.data;
        const v = r.v.data;
        let dual = 0;
        let prod = 0;
        for (let i = 0; i < n1; i++) {
          let s = 0;
          for (let j = 0; j < n2; j++) {
            s += P[i * n2 + j]!;
            expect(P[i * n2 + j]!).toBeGreaterThanOrEqual(0);
            expect(C[i * n2 + j]! - u[i]! - v[j]!).toBeGreaterThan(-1e-10);
            prod += a.data[i]! * b.data[j]! * C[i * n2 + j]!;
          }
          expect(close(s, a.data[i]!, { atol: 1e-12, rtol: 1e-10 })).toBe(true);
          dual += a.data[i]! * u[i]!;
        }
        for (let j = 0; j < n2; j++) {
          let s = 0;
          for (let i = 0; i < n1; i++) s += P[i * n2 + j]!;
          expect(close(s, b.data[j]!, { atol: 1e-12, rtol: 1e-10 })).toBe(true);
          dual += b.data[j]! * v[j]!;
        }
        expect(r.converged).toBe(true);
        expect(close(dual, r.cost, { atol: 1e-10, rtol: 1e-9 })).toBe(true);
        expect(r.cost).toBeLessThanOrEqual(prod + 1e-12);
      }),
    );
  });

  it("LAP cost equals EMD cost with uniform marginals of equal size", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }).chain((n) => arbCostMatrix(n, n, 3)),
        (M) => {
          const n = M.shape[0]!;
          const lap = linearSumAssignment(M);
          const e = emd([], [], M);
          expect(close(lap.cost / n, e.cost, { rtol: 1e-9, atol: 1e-12 })).toBe(true);
          // a permutation
          expect(new Set(lap.colInd).size).toBe(n);
        },
      ),
    );
  });

  it("rectangular LAP is no worse than any greedy assignment and uses distinct columns", () => {
    fc.assert(
      fc.property(
        fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 8 })).chain(([n, m]) => arbCostMatrix(n, m)),
        (M) => {
          const [n, m] = M.shape as [number, number];
          const r = linearSumAssignment(M);
          expect(r.rowInd.length).toBe(Math.min(n, m));
          expect(new Set(r.colInd).size).toBe(Math.min(n, m));
          expect(new Set(r.rowInd).size).toBe(Math.min(n, m));
          // Greedy (row order, cheapest free column) is a feasible assignment.
          const used = new Set<number>();
          let greedy = 0;
          const rows = Math.min(n, m);
          for (let k = 0; k < rows; k++) {
            let best = -1;
            for (let j = 0; j < Math.max(n, m); j++) {
              const c = n <= m ? M.data[k * m + j]! : M.data[j * m + k]!;
              if (!used.has(j) && (best < 0 || c < (n <= m ? M.data[k * m + best]! : M.data[best * m + k]!))) best = j;
            }
            used.add(best);
            greedy += n <= m ? M.data[k * m + best]! : M.data[best * m + k]!;
          }
          expect(r.cost).toBeLessThanOrEqual(greedy + 1e-9);
        },
      ),
    );
  });

  it("emd2 gradient with respect to M is the plan and passes gradCheck", () => {
    fc.assert(
      // Seeded continuous draws (not shrinkable to ties): the plan is unique with probability 1.
      fc.property(fc.integer({ min: 0, max: 1e6 }), (seed) => {
        const [k1, k2, k3] = split(rng(seed), 3) as [Key, Key, Key];
        const a = softmax(normal(k1, [4]));
        const b = softmax(normal(k2, [3]));
        const M = uniform(k3, [4, 3]);
        const g = grad((m) => emd2(a, b, m))(M);
        const P = emd(a, b, M).plan;
        for (let k = 0; k < 12; k++) expect(close(g.data[k]!, P.data[k]!)).toBe(true);
        // The cost is piecewise linear in M: finite differences agree away from kinks, which a
        // random cost hits with probability 0 at this step size.
        const gc = gradCheck((m) => emd2(a, b, m), M, { eps: 1e-7, rtol: 1e-4, atol: 1e-6, directions: 1 });
        expect(gc.ok, gc.details).toBe(true);
      }),
      { numRuns: 20 },
    );
  });
});

it("emd2 gradient w.r.t. a is the dual u (tangent directions)", () => {
  const a = tensor([0.2, 0.3, 0.5]);
  const b = tensor([0.6, 0.4]);
  const M = tensor([
    [0, 1],
    [2, 0.5],
    [1, 3],
  ]);
  const r = emd(a, b, M);
  const ga = grad((x) => emd2(x, b, M))(a);
  for (let i = 0; i < 3; i++) expect(close(ga.data[i]!, r.u.data[i]!)).toBe(true);
  // d/dt emd2(a + t(e0 − e1), b) = u0 − u1
  const h = 1e-6;
  const fd = (emd2([0.2 + h, 0.3 - h, 0.5], b, M).item() - emd2([0.2 - h, 0.3 + h, 0.5], b, M).item()) / (2 * h);
  expect(close(fd, r.u.data[0]! - r.u.data[1]!, { rtol: 1e-6, atol: 1e-8 })).toBe(true);
});
