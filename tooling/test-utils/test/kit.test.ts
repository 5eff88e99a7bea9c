// The test kit checks itself: arbitraries produce what they promise, and the derivative checks
// catch a wrong rule (a check that cannot fail would be worthless).
import * as X from "@x/tensor";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  adjointCheck,
  arbBroadcastShapes,
  arbCostMatrix,
  arbDiagDominant,
  arbLowRank,
  arbOrthogonal,
  arbSimplex,
  arbSPD,
  close,
  expectClose,
  gradCheck,
  tolFor,
} from "../src/index.js";

/** Smallest pivot of an unpivoted Cholesky: positive iff the matrix is SPD. */
function minCholeskyPivot(a: X.Tensor): number {
  const n = a.shape[0]!;
  const l = Float64Array.from(a.data);
  let minPivot = Infinity;
  for (let j = 0; j < n; j++) {
    let d = l[j * n + j]!;
    for (let k = 0; k < j; k++) d -= l[j * n + k]! ** 2;
    minPivot = Math.min(minPivot, d);
    if (d <= 0) return d;
    const r = Math.sqrt(d);
    l[j * n + j] = r;
    for (let i = j + 1; i < n; i++) {
      let s = l[i * n + j]!;
      for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!;
      l[i * n + j] = s / r;
    }
  }
  return minPivot;
}

describe("arbitraries", () => {
  it("broadcast shapes broadcast", () => {
    fc.assert(fc.property(arbBroadcastShapes(), ([a, b]) => X.broadcastShapes("t", a, b).length >= 0));
  });
  it("SPD, orthogonal, diagonally dominant, low rank, simplex and cost matrices", () => {
    fc.assert(
      fc.property(
        arbSPD(4),
        arbOrthogonal(3),
        arbDiagDominant(4),
        arbLowRank(5, 4, 2),
        arbSimplex(6),
        (s, q, d, l, p) => {
          expectClose(s, X.transpose(s));
          expect(minCholeskyPivot(s)).toBeGreaterThan(0);
          expectClose(X.matmul(X.transpose(q), q), X.eye(3), { atol: 1e-10 });
          const dd = d.toArray() as number[][];
          dd.forEach((row, i) => {
            const off = row.reduce((acc, v, j) => acc + (j === i ? 0 : Math.abs(v)), 0);
            expect(Math.abs(row[i]!)).toBeGreaterThan(off);
          });
          // rank ≤ 2: every 3×3 minor vanishes (check one through the Gram determinant of 3 columns)
          const g = X.matmul(X.transpose(X.slice(l, [null, [0, 3]])), X.slice(l, [null, [0, 3]])).data;
          const det =
            g[0]! * (g[4]! * g[8]! - g[5]! * g[7]!) -
            g[1]! * (g[3]! * g[8]! - g[5]! * g[6]!) +
            g[2]! * (g[3]! * g[7]! - g[4]! * g[6]!);
          expect(Math.abs(det)).toBeLessThan(1e-8);
          expect(close(X.sum(p).item(), 1)).toBe(true);
          expect(p.data.every((v) => v > 0)).toBe(true);
        },
      ),
      { numRuns: 30 },
    );
    fc.assert(fc.property(arbCostMatrix(3, 4), (c) => c.data.every((v) => v >= 0)));
  });
});

describe("derivative checks", () => {
  it("gradCheck accepts a right gradient and rejects a wrong one", () => {
    const x = X.tensor([0.3, -1.2, 2]);
    expect(gradCheck((z) => X.sum(X.sin(z)), x).ok).toBe(true);
    const wrong = X.customVjp(
      (z: X.Tensor) => X.sum(X.sin(z)),
      (z: X.Tensor) => [X.sum(X.sin(z)), z] as [X.Tensor, X.Tensor],
      (z, g) => [X.mul(g, X.sin(z))], // should be cos
    );
    const r = gradCheck(wrong, x);
    expect(r.ok).toBe(false);
    expect(r.details).toMatch(/finite difference/);
  });
  it("the adjoint check holds for a linear map and its transpose", () => {
    const a = X.normal(X.rng(3), [4, 3]);
    const { lhs, rhs } = adjointCheck((v) => X.matmul(a, v), X.normal(X.rng(4), [3]));
    expect(close(lhs, rhs)).toBe(true);
  });
  it("expectClose reports the worst entry; tolerances follow precision", () => {
    expect(() => expectClose([1, 2], [1, 2.1])).toThrow(/entry 1 is 2, expected 2.1/);
    expect(() => expectClose([1, 2], [1, 2, 3])).toThrow(/shape/);
    expect(close(-0, 0)).toBe(true);
    expect(close(Number.NaN, Number.NaN)).toBe(true);
    expect(tolFor(32).rtol).toBeGreaterThan(tolFor(64).rtol);
  });
});
