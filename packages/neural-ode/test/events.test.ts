// Event location on the dense output: roots to tolerance, terminal events, direction filters.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type OdeEvent, solveIvp } from "../src/index.js";

// Harmonic oscillator y'' = −y from (1, 0): y = cos t, roots of y at π/2 + kπ.
const osc = (_t: number, y: Float64Array) => [y[1]!, -y[0]!];

describe("events", () => {
  it("locates every zero of cos t to 1e-8 on [0, 10] (dopri5, rtol 1e-9)", () => {
    const g: OdeEvent = (_t, y) => y[0]!;
    const r = solveIvp(osc, [0, 10], [1, 0], { method: "dopri5", rtol: 1e-9, atol: 1e-12, events: g });
    const ts = r.events![0]!.map((e) => e.t);
    expect(ts.length).toBe(3);
    ts.forEach((t, k) => expect(Math.abs(t - (Math.PI / 2 + k * Math.PI))).toBeLessThan(1e-8));
    r.events![0]!.forEach((e) => expect(Math.abs(e.y[0]!)).toBeLessThan(1e-8));
  });

  it("direction +1 keeps only upward crossings; terminal stops there with status 1", () => {
    const up: OdeEvent = Object.assign((_t: number, y: Float64Array) => y[0]!, { direction: 1, terminal: true });
    const r = solveIvp(osc, [0, 10], [1, 0], { method: "tsit5", rtol: 1e-10, atol: 1e-12, events: [up] });
    expect(r.status).toBe(1);
    expect(r.message).toMatch(/termination/);
    const t = r.events![0]![0]!.t;
    expect(Math.abs(t - 1.5 * Math.PI)).toBeLessThan(1e-8);
    expect(Math.abs(r.t[r.t.length - 1]! - t)).toBeLessThan(1e-14);
    expect(Math.abs(r.yEnd[0]!)).toBeLessThan(1e-8);
  });

  it("a bouncing ball hits the ground at sqrt(2h/g) (dop853 and rodas4)", () => {
    const fall = (_t: number, y: Float64Array) => [y[1]!, -9.81];
    const ground: OdeEvent = Object.assign((_t: number, y: Float64Array) => y[0]!, { terminal: true, direction: -1 });
    for (const method of ["dop853", "rodas4", "bosh3"] as const) {
      const r = solveIvp(fall, [0, 5], [10, 0], { method, events: ground, rtol: 1e-8, atol: 1e-10 });
      expect(r.status).toBe(1);
      expect(Math.abs(r.events![0]![0]!.t - Math.sqrt(20 / 9.81))).toBeLessThan(1e-7);
    }
  });

  it("property: the event time of y' = −k·y crossing level c is ln(y0/c)/k", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.2, max: 3, noNaN: true }),
        fc.double({ min: 0.05, max: 0.9, noNaN: true }),
        (k, c) => {
          const g: OdeEvent = Object.assign((_t: number, y: Float64Array) => y[0]! - c, { terminal: true });
          const r = solveIvp((_t, y) => [-k * y[0]!], [0, 100], [1], {
            method: "tsit5",
            rtol: 1e-10,
            atol: 1e-12,
            events: g,
          });
          expect(r.status).toBe(1);
          expect(Math.abs(r.events![0]![0]!.t - Math.log(1 / c) / k)).toBeLessThan(1e-7 * (1 + Math.log(1 / c) / k));
        },
      ),
      { numRuns: 30 },
    );
  });
});
