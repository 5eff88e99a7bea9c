import * as X from "@x/tensor";
import { arbOrthogonal } from "@x/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { extragradient, gda, halpern, optimisticGd } from "../src/index.js";

// Random bilinear game L(x, y) = xᵀAy with A = U diag(s) Vᵀ, s ∈ [0.5, 1.5]: the unique saddle is 0,
// ‖F‖ is L-Lipschitz with L = max s ≤ 1.5.
const n = 3;
const arbGame = fc
  .record({
    U: arbOrthogonal(n),
    V: arbOrthogonal(n),
    s: fc.array(fc.double({ min: 0.5, max: 1.5, noNaN: true }), { minLength: n, maxLength: n }),
    z0: fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 2 * n, maxLength: 2 * n }),
  })
  .filter(({ z0 }) => Math.hypot(...z0) > 0.1)
  .map(({ U, V, s, z0 }) => ({
    A: X.matmul(X.matmul(U, X.diag(X.tensor(s))), X.transpose(V)),
    x0: X.tensor(z0.slice(0, n)),
    y0: X.tensor(z0.slice(n)),
    r0: Math.hypot(...z0),
  }));

const bil = (A: X.Tensor) => (x: X.Tensor, y: X.Tensor) => X.sum(X.mul(x, X.matmul(A, y)));
// The analytic gradient (A y, Aᵀx) keeps these long runs cheap; autodiff is checked against it below.
const gradOf =
  (A: X.Tensor) =>
  (x: X.Tensor, y: X.Tensor): [X.Tensor, X.Tensor] => [X.matmul(A, y), X.matmul(x, A)];
const dist = (r: { x: X.Tensor; y: X.Tensor }) => Math.hypot(X.norm(r.x).item(), X.norm(r.y).item());

describe("minimax on random bilinear games", () => {
  it("GDA spirals out while extragradient and optimistic GD converge to the saddle", () => {
    fc.assert(
      fc.property(arbGame, ({ A, x0, y0, r0 }) => {
        const L = bil(A);
        const gradient = gradOf(A);
        const g = gda(L, x0, y0, { lr: 0.2, maxIter: 100, tol: 1e-12, gradient });
        // Each GDA step multiplies ‖z‖ by √(1 + η²s²) > 1 along every singular pair.
        expect(dist(g)).toBeGreaterThan(r0);
        expect(g.converged).toBe(false);
        // Per singular value s the EG map has modulus √((1−η²s²)² + η²s²) ≤ 0.971 for η = 0.5, s ∈ [0.5, 1.5];
        // OGD's two-step recurrence has spectral radius ≤ 0.989 for η = 0.3.
        const eg = extragradient(L, x0, y0, { lr: 0.5, maxIter: 600, tol: 1e-14, gradient });
        expect(dist(eg)).toBeLessThan(1e-5 * r0);
        const og = optimisticGd(L, x0, y0, { lr: 0.3, maxIter: 600, tol: 1e-14, gradient });
        expect(dist(og)).toBeLessThan(2e-2 * r0);
      }),
      { numRuns: 6 },
    );
  });

  it("Halpern (EAG-C) operator residual ≤ 2‖z₀ − z*‖/(η(k+1)) at every k", () => {
    fc.assert(
      fc.property(arbGame, ({ A, x0, y0, r0 }) => {
        const eta = 1 / (8 * 1.5);
        const r = halpern(bil(A), x0, y0, { lr: eta, maxIter: 300, tol: 1e-14, gradient: gradOf(A) });
        r.residualHistory.forEach((res, k) => {
          expect(res).toBeLessThanOrEqual((2 * r0) / (eta * (k + 1)) + 1e-12);
        });
        expect(r.residualHistory.at(-1)!).toBeLessThan(r.residualHistory[0]!);
      }),
      { numRuns: 6 },
    );
  });

  it("two-timescale extragradient solves a strongly-convex–concave problem; bad options throw", () => {
    // L = ½x² + xy − ½y²·0.1: saddle at 0.
    const L = (x: X.Tensor, y: X.Tensor) =>
      X.sum(X.add(X.sub(X.mul(0.5, X.square(x)), X.mul(0.05, X.square(y))), X.mul(x, y)));
    const r = extragradient(L, [1], [1], { lr: 0.1, lrY: 0.3, maxIter: 5000 });
    expect(r.converged).toBe(true);
    expect(dist(r)).toBeLessThan(1e-7);
    expect(() => gda(L, [1], [1], { lr: -1 })).toThrow(/lr/);
    // Autodiff operator = analytic gradient on a bilinear game.
    const A = X.tensor([
      [1, 2],
      [0, 1],
    ]);
    const a = gda(bil(A), [1, -1], [0.5, 2], { lr: 0.1, maxIter: 3 });
    const b = gda(bil(A), [1, -1], [0.5, 2], { lr: 0.1, maxIter: 3, gradient: gradOf(A) });
    expect(X.norm(X.sub(a.x, b.x)).item() + X.norm(X.sub(a.y, b.y)).item()).toBeLessThan(1e-12);
    expect(() => halpern(L, [1], [1], { maxIter: 1.5 })).toThrow(/maxIter/);
  });
});
