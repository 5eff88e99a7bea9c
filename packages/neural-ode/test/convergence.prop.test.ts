// Convergence order of every explicit method with a fixed step on random stable y' = Ay (closed form via expm),
// and order of the dense output at off-grid times.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { butcherTableau, solveIvp } from "../src/index.js";
import type { ExplicitMethodName } from "../src/types.js";
import { arbLinear, exactLinear, linearField, maxAbsDiff } from "./linear.js";

// Step sizes chosen so the errors sit well above round-off and inside the asymptotic range.
const cases: { m: ExplicitMethodName; h: number }[] = [
  { m: "euler", h: 1 / 64 },
  { m: "midpoint", h: 1 / 32 },
  { m: "heun", h: 1 / 32 },
  { m: "rk4", h: 1 / 16 },
  { m: "bosh3", h: 1 / 16 },
  { m: "dopri5", h: 1 / 8 },
  { m: "tsit5", h: 1 / 8 },
  { m: "dop853", h: 1 / 2 },
];

describe("global order p on y' = Ay: log2(err(h)/err(h/2)) ≥ p − 0.5", () => {
  for (const { m, h } of cases) {
    const p = butcherTableau(m).order;
    it(`${m} (p = ${p})`, () => {
      fc.assert(
        fc.property(arbLinear(3), (prob) => {
          const f = linearField(prob.A);
          const exact = exactLinear(prob, 1);
          const e1 = maxAbsDiff(solveIvp(f, [0, 1], prob.y0, { method: m, h }).yEnd, exact);
          const e2 = maxAbsDiff(solveIvp(f, [0, 1], prob.y0, { method: m, h: h / 2 }).yEnd, exact);
          // A vanishing leading error term can only raise the observed order; round-off is far below e2.
          expect(Math.log2(e1 / e2)).toBeGreaterThan(p - 0.5);
        }),
        { numRuns: 15 },
      );
    });
  }
});

describe("dense output order min(p, p* + 1) at off-grid times", () => {
  for (const { m, h } of cases) {
    const tab = butcherTableau(m);
    const expected = Math.min(tab.order, tab.denseOrder + 1);
    it(`${m} (interpolant order ${tab.denseOrder})`, () => {
      fc.assert(
        fc.property(arbLinear(2), (prob) => {
          const f = linearField(prob.A);
          // max over off-grid times of one coarse step (the pointwise error may cross zero inside a step)
          const t0 = Math.floor(0.5 / h) * h;
          const times = [0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9].map((th) => t0 + th * h);
          const exact = times.map((tq) => exactLinear(prob, tq));
          const e = [h, h / 2].map((hh) => {
            const r = solveIvp(f, [0, 1], prob.y0, { method: m, h: hh, denseOutput: true });
            return Math.max(...times.map((tq, i) => maxAbsDiff(r.sol!(tq), exact[i]!)));
          });
          expect(Math.log2(e[0]! / e[1]!)).toBeGreaterThan(expected - 0.6);
        }),
        { numRuns: 10 },
      );
    });
  }
});

describe("embedded error estimate has order q = p̂ + 1 per step", () => {
  for (const m of ["heun", "bosh3", "dopri5", "tsit5", "dop853"] as const) {
    const tab = butcherTableau(m);
    const q = Math.min(tab.order, tab.embeddedOrder) + 1;
    it(`${m} (q = ${q})`, () => {
      fc.assert(
        fc.property(arbLinear(2), (prob) => {
          const f = linearField(prob.A);
          const h = m === "dop853" ? 0.4 : 0.1;
          const est = [h, h / 2].map((hh) => {
            const r = solveIvp(f, [0, hh], prob.y0, { method: m, h: hh, internals: true, rtol: 1, atol: 1 });
            return r.internals!.error[0]!;
          });
          expect(Math.log2(est[0]! / est[1]!)).toBeGreaterThan(q - 0.6);
        }),
        { numRuns: 15 },
      );
    });
  }
});
