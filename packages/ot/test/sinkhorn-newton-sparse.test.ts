import { arbCostMatrix, arbSimplex, expectClose } from "@x/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sinkhorn, sinkhornNewtonSparse } from "../src/index.js";

import { ref } from "./fixtures.js";

describe("Sinkhorn–Newton–Sparse", () => {
  it("agrees with log-Sinkhorn on plan and cost (property)", () => {
    fc.assert(
      fc.property(
        arbSimplex(6, 0.02),
        arbSimplex(5, 0.02),
        arbCostMatrix(6, 5),
        fc.constantFrom(0.02, 0.1, 1),
        (a, b, M, reg) => {
          const s = sinkhornNewtonSparse(a, b, M, reg, { tol: 1e-10 });
          expect(s.converged, `${reg} ${s.iterations} ${s.residual} ${s.errors.join(",")}`).toBe(true);
          const l = sinkhorn(a, b, M, reg, { method: "log", tol: 1e-11, maxIter: 200000 });
          expectClose(s.plan, l.plan, { atol: 1e-7, rtol: 1e-5 });
          expect(Math.abs(s.cost - l.cost)).toBeLessThan(1e-6);
        },
      ),
      { numRuns: 25 },
    );
  });

  it("recovers with Sinkhorn sweeps when no Newton step makes progress (FC_SEED=967961989 regression)", () => {
    const r0 = [3.937728999211657, 0, 0, 0, 0];
    const q = 0.0698203980687655;
    const a = [q, q, 0.6508980096561725, q, q, q];
    const b = [0.1602177006773379, 0.1602177006773379, 0.1602177006773379, 0.23703907892408047, 0.2823078190439059];
    const M = [
      r0,
      r0,
      [0.25256861340914716, 2.1957583141241543, 2.1957583141241543, 2.1957583141241543, 2.1957583141241543],
      r0,
      r0,
      [0.1497698738459057, 2.5515910952905583, 2.5515910952905583, 2.5515910952905583, 2.5515910952905583],
    ];
    const s = sinkhornNewtonSparse(a, b, M, 0.02, { tol: 1e-10 });
    expect(s.converged).toBe(true);
    const l = sinkhorn(a, b, M, 0.02, { method: "log", tol: 1e-11, maxIter: 200000 });
    expectClose(s.plan, l.plan, { atol: 1e-7, rtol: 1e-5 });
  });

  it("matches POT's sinkhorn plans (POT 0.8.2 has no SNS)", () => {
    for (const c of ref.sinkhorn) {
      const s = sinkhornNewtonSparse(c.a, c.b, c.M, c.reg, { tol: 1e-12 });
      expect(s.converged).toBe(true);
      expectClose(s.cost, c.sinkhorn2Log, { rtol: 1e-7, atol: 1e-10 });
      expectClose(s.plan, c.plan, { rtol: 1e-6, atol: 1e-10 });
    }
  });

  it("needs far fewer iterations than Sinkhorn at small reg", () => {
    const n = 30;
    const xs = Array.from({ length: n }, (_, i) => i / n);
    const ys = Array.from({ length: n }, (_, i) => ((i + 0.5) / n) ** 2);
    const M = xs.map((x) => ys.map((y) => (x - y) ** 2));
    const reg = 2e-3;
    const s = sinkhornNewtonSparse(undefined, undefined, M, reg, { tol: 1e-9 });
    const l = sinkhorn(undefined, undefined, M, reg, { method: "log", tol: 1e-9, maxIter: 100000 });
    expect(s.converged).toBe(true);
    expect(s.warmupIterations + s.iterations).toBeLessThan(l.iterations / 5);
    expectClose(s.plan, l.plan, { atol: 1e-7 });
  });
});
