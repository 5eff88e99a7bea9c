// Brownian tree consistency and strong convergence of the SDE solvers on geometric Brownian motion.
import { ValueError } from "@x/tensor";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BrownianTree, type SdeMethod, solveSde } from "../src/index.js";

describe("BrownianTree", () => {
  it("property: increments over a split interval add up, and queries are order-independent", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e6, max: 1e6 }),
        fc.array(fc.double({ min: 0, max: 2, noNaN: true }), { minLength: 3, maxLength: 8 }),
        (seed, times) => {
          const [s, u, v] = [...times].slice(0, 3).sort((a, b) => a - b) as [number, number, number];
          const bm = new BrownianTree({ t0: 0, t1: 2, size: 2, seed });
          const a = bm.increment(s, u);
          const b = bm.increment(u, v);
          const c = bm.increment(s, v);
          for (let i = 0; i < 2; i++) expect(Math.abs(a[i]! + b[i]! - c[i]!)).toBeLessThan(1e-12);
          // a fresh tree with the same seed queried in reverse order gives the same path
          const fresh = new BrownianTree({ t0: 0, t1: 2, size: 2, seed });
          const rev = [...times].reverse().map((t) => fresh.value(t));
          times.forEach((t, k) => {
            const w = bm.value(t);
            const r = rev[times.length - 1 - k]!;
            for (let i = 0; i < 2; i++) expect(w[i]!).toBe(r[i]!);
          });
        },
      ),
      { numRuns: 30 },
    );
  });

  it("Brownian statistics over 4000 seeds: Var W(1) ≈ 1, Var(W(0.75) − W(0.3)) ≈ 0.45, independent increments", () => {
    const N = 4000;
    let v1 = 0;
    let v2 = 0;
    let cov = 0;
    for (let s = 0; s < N; s++) {
      const bm = new BrownianTree({ t0: 0, t1: 1, size: 1, seed: s });
      const w1 = bm.value(1)[0]!;
      const d = bm.increment(0.3, 0.75)[0]!;
      const e = bm.increment(0, 0.3)[0]!;
      v1 += w1 * w1;
      v2 += d * d;
      cov += d * e;
    }
    // 4000 samples: relative standard error of a variance ≈ sqrt(2/4000) ≈ 2.2%; allow 5 standard errors
    expect(Math.abs(v1 / N - 1)).toBeLessThan(0.11);
    expect(Math.abs(v2 / N - 0.45)).toBeLessThan(0.11 * 0.45);
    expect(Math.abs(cov / N)).toBeLessThan((5 * Math.sqrt(0.45 * 0.3)) / Math.sqrt(N));
  });

  it("bad input", () => {
    expect(() => new BrownianTree({ t0: 1, t1: 1, size: 1, seed: 0 })).toThrow(ValueError);
    expect(() => new BrownianTree({ t0: 0, t1: 1, size: 0, seed: 0 })).toThrow(/size/);
    expect(() => new BrownianTree({ t0: 0, t1: 1, size: 1, seed: 0 }).value(2)).toThrow(/outside/);
  });
});

describe("solveSde on geometric Brownian motion (exact solution from the same Brownian path)", () => {
  const mu = 0.8;
  const sigma = 0.6;
  const f = (_t: number, y: Float64Array) => [mu * y[0]!];
  const g = (_t: number, y: Float64Array) => [sigma * y[0]!];
  const strongError = (method: SdeMethod, dt: number) => {
    let e = 0;
    const M = 300;
    for (let s = 0; s < M; s++) {
      const bm = new BrownianTree({ t0: 0, t1: 1, size: 1, seed: 1000 + s });
      const W = bm.value(1)[0]!;
      // Itô: exp((μ − σ²/2)T + σW); Stratonovich: exp(μT + σW)
      const exact = method === "heun" ? Math.exp(mu + sigma * W) : Math.exp(mu - (sigma * sigma) / 2 + sigma * W);
      const r = solveSde(f, g, [0, 1], [1], { method, dt, bm });
      e += Math.abs(r.yEnd[0]! - exact);
    }
    return e / M;
  };
  for (const [method, order] of [
    ["euler-maruyama", 0.5],
    ["milstein", 1],
    ["heun", 1],
  ] as const) {
    it(`${method}: strong order ≈ ${order}`, () => {
      const e1 = strongError(method, 1 / 16);
      const e2 = strongError(method, 1 / 64);
      const p = Math.log(e1 / e2) / Math.log(4);
      expect(p).toBeGreaterThan(order - 0.2);
      expect(p).toBeLessThan(order + 0.35);
    });
  }

  it("bad input and failure report", () => {
    expect(() => solveSde(f, g, [0, 1], [1], { dt: 0 })).toThrow(/dt/);
    expect(() => solveSde(f, g, [0, 1], [Number.NaN], { dt: 0.1 })).toThrow(/y0/);
    expect(() => solveSde(f, g, [0, 1], [1], { dt: 0.1, method: "x" as never })).toThrow(/unknown method/);
    const r = solveSde(() => [Number.NaN], g, [0, 1], [1], { dt: 0.1 });
    expect(r.status).toBe(-1);
    expect(r.failure!.t).toBe(0);
  });
});
