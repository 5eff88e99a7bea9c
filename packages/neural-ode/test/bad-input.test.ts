// Bad input: typed errors naming the argument, or status −1 with the time and state of failure — never a hang.
import { ValueError } from "@x/tensor";
import { describe, expect, it } from "vitest";
import { solveIvp } from "../src/index.js";

const decay = (_t: number, y: Float64Array) => [-y[0]!];

describe("bad input", () => {
  it("non-finite y0", () => {
    expect(() => solveIvp(decay, [0, 1], [Number.NaN])).toThrow(ValueError);
    expect(() => solveIvp(decay, [0, 1], [Number.POSITIVE_INFINITY])).toThrow(/y0 must be finite/);
  });
  it("t1 == t0 and non-finite span", () => {
    expect(() => solveIvp(decay, [1, 1], [1])).toThrow(/t1 != t0/);
    expect(() => solveIvp(decay, [0, Number.NaN], [1])).toThrow(ValueError);
  });
  it("tEval outside the span or unsorted", () => {
    expect(() => solveIvp(decay, [0, 1], [1], { tEval: [0.5, 2] })).toThrow(/tEval\[1\] = 2 is outside/);
    expect(() => solveIvp(decay, [0, 1], [1], { tEval: [0.5, 0.2] })).toThrow(/sorted/);
  });
  it("bad tolerances, method, maxSteps, fixed-step without h", () => {
    expect(() => solveIvp(decay, [0, 1], [1], { rtol: -1 })).toThrow(/rtol/);
    expect(() => solveIvp(decay, [0, 1], [1], { atol: [1, 2] })).toThrow(/atol has length 2/);
    expect(() => solveIvp(decay, [0, 1], [1], { method: "nope" as never })).toThrow(/unknown method/);
    expect(() => solveIvp(decay, [0, 1], [1], { maxSteps: 0 })).toThrow(/maxSteps/);
    expect(() => solveIvp(decay, [0, 1], [1], { method: "rk4" })).toThrow(/pass options.h/);
  });
  it("f returning the wrong length stops with status −1, the time and the state", () => {
    const r = solveIvp(() => [1, 2], [0, 1], [1], { method: "dopri5" });
    expect(r.status).toBe(-1);
    expect(r.success).toBe(false);
    expect(r.message).toMatch(/length 2, expected 1/);
    expect(r.failure!.t).toBe(0);
    expect(r.failure!.y[0]).toBeCloseTo(1, 15);
  });
  it("f returning NaN mid-way reports where", () => {
    const f = (t: number, y: Float64Array) => [t > 0.5 ? Number.NaN : -y[0]!];
    for (const method of ["tsit5", "rodas4", "trbdf2", "auto"] as const) {
      const r = solveIvp(f, [0, 1], [1], { method });
      expect(r.status).toBe(-1);
      expect(r.message).toMatch(/non-finite/);
      expect(r.failure!.t).toBeGreaterThan(0.5);
      expect(Number.isFinite(r.failure!.y[0]!)).toBe(true);
    }
  });
  it("blow-up y' = y² from 1 (singular at t = 1) ends with a step-size underflow or non-finite report, not a hang", () => {
    const r = solveIvp((_t, y) => [y[0]! * y[0]!], [0, 2], [1], { method: "dopri5" });
    expect(r.status).toBe(-1);
    expect(r.message).toMatch(/underflow|non-finite|maxSteps/);
    expect(r.failure!.t).toBeGreaterThan(0.99);
    expect(r.failure!.t).toBeLessThan(1.0001);
  });
  it("maxSteps is honoured", () => {
    const r = solveIvp(decay, [0, 1000], [1], { method: "euler", h: 1e-3, maxSteps: 10 });
    expect(r.status).toBe(-1);
    expect(r.message).toMatch(/maxSteps \(10\)/);
    expect(r.stats.accepted).toBe(10);
  });
});

describe("solveIvpBatch", () => {
  it("solves each initial condition independently (= separate solves) from rows or a [batch, n] Tensor", async () => {
    const { solveIvpBatch } = await import("../src/index.js");
    const { tensor } = await import("@x/tensor");
    const f = (_t: number, y: Float64Array) => [y[1]!, -y[0]!];
    const y0s = [
      [1, 0],
      [0, 2],
      [-1, 0.5],
    ];
    const rs = solveIvpBatch(f, [0, 3], tensor(y0s), { method: "tsit5", rtol: 1e-9, atol: 1e-12 });
    rs.forEach((r, i) => {
      const single = solveIvp(f, [0, 3], y0s[i]!, { method: "tsit5", rtol: 1e-9, atol: 1e-12 });
      r.yEnd.forEach((v, k) => expect(Math.abs(v - single.yEnd[k]!)).toBeLessThanOrEqual(1e-15));
      const [a, b] = y0s[i]!;
      expect(Math.abs(r.yEnd[0]! - (a! * Math.cos(3) + b! * Math.sin(3)))).toBeLessThan(1e-8);
    });
    expect(() => solveIvpBatch(f, [0, 1], [[1, 0], [1]])).toThrow(/y0s\[1\] has length 1/);
  });
});
