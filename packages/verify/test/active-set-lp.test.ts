import { ValueError } from "@x/tensor";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { activeSetLp } from "../src/active-set-lp.js";

/** Solves the d×d system M z = b by Gaussian elimination with partial pivoting; null when (nearly) singular. */
function solveSmall(M: number[][], b: number[]): number[] | null {
  const d = b.length;
  const A = M.map((r, i) => [...r, b[i]!]);
  for (let k = 0; k < d; k++) {
    let p = k;
    for (let i = k + 1; i < d; i++) if (Math.abs(A[i]![k]!) > Math.abs(A[p]![k]!)) p = i;
    if (Math.abs(A[p]![k]!) < 1e-9) return null;
    [A[k], A[p]] = [A[p]!, A[k]!];
    for (let i = k + 1; i < d; i++) {
      const f = A[i]![k]! / A[k]![k]!;
      for (let j = k; j <= d; j++) A[i]![j] = A[i]![j]! - f * A[k]![j]!;
    }
  }
  const z = new Array<number>(d).fill(0);
  for (let i = d - 1; i >= 0; i--) {
    let s = A[i]![d]!;
    for (let j = i + 1; j < d; j++) s -= A[i]![j]! * z[j]!;
    z[i] = s / A[i]![i]!;
  }
  return z;
}

/** Brute force: the least c·z over every vertex (d rows tight) of {G z ≤ h}. */
function vertexMin(c: number[], G: number[][], h: number[]): number {
  const d = c.length;
  let best = Number.POSITIVE_INFINITY;
  const pick = (start: number, chosen: number[]) => {
    if (chosen.length === d) {
      const z = solveSmall(
        chosen.map((i) => G[i]!),
        chosen.map((i) => h[i]!),
      );
      if (!z) return;
      const feasible = G.every((g, i) => g.reduce((s, v, j) => s + v * z[j]!, 0) <= h[i]! + 1e-10);
      if (feasible)
        best = Math.min(
          best,
          c.reduce((s, v, j) => s + v * z[j]!, 0),
        );
      return;
    }
    for (let i = start; i < G.length; i++) pick(i + 1, [...chosen, i]);
  };
  pick(0, []);
  return best;
}

// a bounded LP (box |zⱼ| ≤ 2 plus random integer rows) with a known feasible point z0: rows tight at z0 (slack 0)
// make degenerate vertices, which the method must step through
const arbLp = fc.integer({ min: 1, max: 3 }).chain((d) =>
  fc.record({
    c: fc.array(fc.integer({ min: -4, max: 4 }), { minLength: d, maxLength: d }),
    z0: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: d, maxLength: d }),
    rows: fc.array(
      fc.tuple(
        fc.array(fc.integer({ min: -4, max: 4 }), { minLength: d, maxLength: d }),
        fc.oneof(fc.constant(0), fc.double({ min: 0, max: 2, noNaN: true })),
      ),
      { maxLength: 6 },
    ),
  }),
);

describe("activeSetLp", () => {
  it("returns a feasible point whose objective equals the best vertex's (brute force)", () => {
    fc.assert(
      fc.property(arbLp, ({ c, z0, rows }) => {
        const d = c.length;
        const G: number[][] = [];
        const h: number[] = [];
        for (let j = 0; j < d; j++) {
          const e = new Array<number>(d).fill(0);
          e[j] = 1;
          G.push(
            e,
            e.map((v) => -v),
          );
          h.push(2, 2);
        }
        for (const [g, slack] of rows) {
          G.push(g);
          h.push(g.reduce((s, v, j) => s + v * z0[j]!, 0) + slack);
        }
        const res = activeSetLp(c, Float64Array.from(G.flat()), Float64Array.from(h), z0);
        expect(res.status).toBe("optimal");
        expect(res.converged).toBe(true);
        G.forEach((g, i) => {
          expect(g.reduce((s, v, j) => s + v * res.z[j]!, 0)).toBeLessThanOrEqual(h[i]! + 1e-8);
        });
        const best = vertexMin(c, G, h);
        expect(Math.abs(res.value - best)).toBeLessThanOrEqual(1e-8 * (1 + Math.abs(best)));
        // the multipliers it reports are those of a KKT point: non-negative
        for (const l of res.multipliers) expect(l).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it("reports an unbounded direction", () => {
    // min −z₀ s.t. z₁ ≤ 1: nothing blocks z₀ → ∞
    const res = activeSetLp([-1, 0], Float64Array.from([0, 1]), Float64Array.from([1]), [0, 0]);
    expect(res.status).toBe("unbounded");
    expect(res.converged).toBe(false);
  });

  it("rejects mismatched sizes with a ValueError", () => {
    expect(() => activeSetLp([1, 2], new Float64Array(3), new Float64Array(1), [0, 0])).toThrow(ValueError);
    expect(() => activeSetLp([1, 2], new Float64Array(2), new Float64Array(1), [0])).toThrow(ValueError);
    expect(() => activeSetLp([], new Float64Array(0), new Float64Array(0), [])).toThrow(ValueError);
  });
});
