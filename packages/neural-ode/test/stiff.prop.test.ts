// Stiff solvers: stability on y' = λy for very negative λ (L-stability), accuracy on a linear stiff system,
// analytic vs finite-difference Jacobians.

import * as X from "@x/tensor";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { autodiffField, solveIvp } from "../src/index.js";
import { vdp, vdpJac } from "./problems.js";

describe("stiff methods", () => {
  for (const method of ["rodas4", "trbdf2", "auto"] as const) {
    it(`${method}: y' = −1e6·(y − cos t) stays on the slow manifold in few steps`, () => {
      const lambda = -1e6;
      const r = solveIvp((t, y) => [lambda * (y[0]! - Math.cos(t))], [0, 10], [0], { method, rtol: 1e-6, atol: 1e-9 });
      expect(r.status).toBe(0);
      expect(r.stats.accepted).toBeLessThan(400);
      // slow solution y ≈ cos t + sin t/λ
      expect(Math.abs(r.yEnd[0]! - Math.cos(10))).toBeLessThan(1e-5);
    });
  }

  it("property: y' = λy, λ ∈ [−1e8, −1e2], h·|λ| ≫ 1: one step decays (|y1| ≤ |y0|) and the solve ends near 0", () => {
    fc.assert(
      fc.property(fc.double({ min: 2, max: 8, noNaN: true }), fc.constantFrom("rodas4", "trbdf2"), (e, method) => {
        const lambda = -(10 ** e);
        const one = solveIvp((_t, y) => [lambda * y[0]!], [0, 1], [1], {
          method,
          h0: 1,
          maxSteps: 1,
          rtol: 1e3,
          atol: 1e3,
        });
        expect(Math.abs(one.yEnd[0]!)).toBeLessThanOrEqual(1);
        const r = solveIvp((_t, y) => [lambda * y[0]!], [0, 1], [1], { method, rtol: 1e-6, atol: 1e-10 });
        expect(r.status).toBe(0);
        expect(Math.abs(r.yEnd[0]!)).toBeLessThan(1e-8);
      }),
      { numRuns: 20 },
    );
  });

  it("analytic and finite-difference Jacobians agree on van der Pol μ=100", () => {
    const a = solveIvp(vdp(100), [0, 200], [2, 0], { method: "rodas4", rtol: 1e-8, atol: 1e-8, jac: vdpJac(100) });
    const b = solveIvp(vdp(100), [0, 200], [2, 0], { method: "rodas4", rtol: 1e-8, atol: 1e-8 });
    expect(Math.abs(a.yEnd[0]! - b.yEnd[0]!)).toBeLessThan(1e-5);
    expect(a.stats.nfev).toBeLessThan(b.stats.nfev);
    expect(a.stats.njev).toBeGreaterThan(0);
    expect(a.stats.nlu).toBeGreaterThanOrEqual(a.stats.accepted);
  });

  it("autodiff Jacobians (autodiffField) match the analytic ones on van der Pol μ=100", () => {
    const mu = 100;
    const tf = (_t: number, y: X.Tensor) => {
      const [a, b] = [X.slice(y, [[0, 1]]), X.slice(y, [[1, 2]])];
      return X.concat([b, X.sub(X.mul(mu, X.mul(X.sub(1, X.square(a)), b)), a)]);
    };
    const { f, jac } = autodiffField(tf, 2);
    const y = Float64Array.of(1.3, -0.7);
    const J = jac(0, y, undefined, new Float64Array(4)) as ArrayLike<number>;
    const Jx = vdpJac(mu)(0, y).flat();
    for (let i = 0; i < 4; i++) expect(Math.abs(J[i]! - Jx[i]!)).toBeLessThan(1e-12 * (1 + Math.abs(Jx[i]!)));
    const a = solveIvp(f, [0, 20], [2, 0], { method: "rodas4", rtol: 1e-7, atol: 1e-7, jac });
    const b = solveIvp(vdp(mu), [0, 20], [2, 0], { method: "rodas4", rtol: 1e-7, atol: 1e-7, jac: vdpJac(mu) });
    expect(a.stats.njev).toBeGreaterThan(0);
    expect(Math.abs(a.yEnd[0]! - b.yEnd[0]!)).toBeLessThan(1e-8);
  });

  it("Rodas4 is order 4 and TR-BDF2 order 2 with a fixed number of steps on y' = −y + sin t", () => {
    const f = (t: number, y: Float64Array) => [-y[0]! + Math.sin(t)];
    const exact = (t: number) => 1.5 * Math.exp(-t) + (Math.sin(t) - Math.cos(t)) / 2;
    for (const [method, p] of [
      ["rodas4", 4],
      ["trbdf2", 2],
    ] as const) {
      // tolerances so loose that every step is accepted: the step size is then h0 throughout
      const err = [0.1, 0.05].map((h) =>
        Math.abs(solveIvp(f, [0, 2], [1], { method, h0: h, maxStep: h, rtol: 1e6, atol: 1e6 }).yEnd[0]! - exact(2)),
      );
      expect(Math.log2(err[0]! / err[1]!)).toBeGreaterThan(p - 0.3);
    }
  });
});
