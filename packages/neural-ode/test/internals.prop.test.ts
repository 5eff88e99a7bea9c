// Per-step internals: the stiffness indicator is exactly h·|λ| on scalar linear problems, and stats add up.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { solveIvp } from "../src/index.js";

describe("internals", () => {
  it("stiffness indicator h·‖Δk‖/‖ΔY‖ equals h·|λ| on y' = λy (every explicit adaptive method)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -50, max: -0.1, noNaN: true }),
        fc.constantFrom("bosh3", "dopri5", "tsit5", "dop853", "heun", "midpoint"),
        (lambda, method) => {
          const r = solveIvp((_t, y) => [lambda * y[0]!], [0, 1], [1], { method, internals: true, rtol: 1e-3 });
          const { h, stiffness, error } = r.internals!;
          expect(h.length).toBe(r.stats.accepted);
          for (let i = 0; i < h.length; i++) {
            // ΔY = y1 − Y_{s−1} is O(h^p) small: round-off in it is relative ε·|y|/|ΔY|, so check only
            // steps where |y| has not decayed to round-off level, with a loose relative tolerance.
            if (!(stiffness[i]! > 0) || Math.abs(r.y[i]!) < 1e-6) continue;
            expect(Math.abs(stiffness[i]! - Math.abs(h[i]! * lambda))).toBeLessThan(0.05 * Math.abs(h[i]! * lambda));
            expect(error[i]!).toBeLessThanOrEqual(1);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it("accepted steps sum to the span; nfev matches FSAL bookkeeping for dopri5", () => {
    const r = solveIvp((_t, y) => [y[1]!, -y[0]!], [0, 7], [1, 0], { method: "dopri5", internals: true, rtol: 1e-8 });
    const total = r.internals!.h.reduce((s, v) => s + v, 0);
    expect(Math.abs(total - 7)).toBeLessThan(1e-12);
    // 1 (f(t0)) + 2 (initial step guess) + 6 per attempted step
    expect(r.stats.nfev).toBe(1 + 1 + 6 * (r.stats.accepted + r.stats.rejected));
    expect(r.t.length).toBe(r.stats.accepted + 1);
  });

  it("auto switches to Rodas4 on van der Pol μ=1000 and reports which method took each step", () => {
    const mu = 1000;
    const r = solveIvp((_t, y) => [y[1]!, mu * (1 - y[0]! * y[0]!) * y[1]! - y[0]!], [0, 3000], [2, 0], {
      internals: true,
    });
    expect(r.status).toBe(0);
    const methods = new Set(r.internals!.method);
    expect(methods.has("rodas4")).toBe(true);
    expect(methods.has("tsit5")).toBe(true);
    expect(r.stats.njev).toBeGreaterThan(0);
  });
});
