import * as X from "@x/tensor";
import { describe, expect, it } from "vitest";
import { aid, boRep, f2sa, lvHba, quadraticBilevel, soba, stocBio } from "../src/index.js";

// Quadratic bilevel with a closed-form optimum λ*: every solver must approach it.
const p = quadraticBilevel({ n: 4, m: 2, seed: 3, rho: 1 });
const spec = { outer: p.outer, inner: p.inner, x0: p.x0, lambda0: p.lambda0 };
const sol = p.solution();
const err = (l: X.Tensor) => X.norm(X.sub(l, sol.lambda)).item();
const gap = (l: X.Tensor) => p.closedForm(l).value - sol.value;

describe("bilevel solvers on a quadratic bilevel problem", () => {
  const start = err(p.lambda0);
  it("AID-CG converges to λ* and reports its linear solves", () => {
    const r = aid(spec, { outerLr: 0.3, maxIter: 80, innerSteps: 5 });
    expect(r.converged).toBe(true);
    expect(err(r.lambda)).toBeLessThan(1e-4);
    expect(r.lastLinearSolve?.converged).toBe(true);
    expect(r.outerHistory.length).toBe(r.iterations + 1);
  });
  it("AID-Neumann and stocBiO reach λ* up to the Neumann truncation bias, which shrinks with more terms", () => {
    const a = aid(spec, { outerLr: 0.3, maxIter: 100, innerSteps: 5, solve: "neumann", solveIter: 10 });
    const s5 = stocBio(spec, { outerLr: 0.3, maxIter: 100, innerSteps: 5, neumannTerms: 5 });
    const s40 = stocBio(spec, { outerLr: 0.3, maxIter: 100, innerSteps: 5, neumannTerms: 40 });
    expect(err(a.lambda)).toBeLessThan(0.2 * start);
    expect(err(s40.lambda)).toBeLessThan(err(s5.lambda));
    expect(gap(s40.lambda)).toBeLessThan(1e-2 * (1 + Math.abs(sol.value)));
  });
  it("SOBA (single loop, z-variable) converges", () => {
    const r = soba(spec, { outerLr: 0.05, maxIter: 800 });
    expect(err(r.lambda)).toBeLessThan(1e-3);
    expect(r.outerHistory.at(-1)!).toBeLessThan(r.outerHistory[0]!);
  });
  it("BO-REP (normalised momentum) reaches a neighbourhood of size ~ its step", () => {
    const r = boRep(spec, { outerLr: 0.01, maxIter: 300, period: 3 });
    expect(err(r.lambda)).toBeLessThan(0.1);
    expect(gap(r.lambda)).toBeLessThan(gap(p.lambda0));
  });
  it("F2SA (Hessian-free penalty) approaches λ* as ρ grows", () => {
    const short = f2sa(spec, { outerLr: 0.1, maxIter: 150, rho0: 2, rhoGrowth: 0 });
    const long = f2sa(spec, { outerLr: 0.1, maxIter: 150, rho0: 200, rhoGrowth: 0 });
    expect(err(long.lambda)).toBeLessThan(err(short.lambda));
    expect(err(long.lambda)).toBeLessThan(0.05 * start);
  });
  it("LV-HBA decreases the true objective; with a box lower-level constraint it stays feasible", () => {
    const r = lvHba(spec, { outerLr: 0.1, maxIter: 400 });
    expect(gap(r.lambda)).toBeLessThan(0.2 * gap(p.lambda0));
    // Lower level restricted to ‖x‖∞ ≤ 0.2 (through c(x) = x² − 0.04 ≤ 0 and a projection onto the box).
    const c = (x: X.Tensor) => X.sub(X.square(x), 0.04);
    const box = (x: X.Tensor) => X.clip(x, -0.2, 0.2);
    const rc = lvHba(spec, { outerLr: 0.1, maxIter: 400, constraints: c, project: box, p: 0.5 });
    expect(rc.maxViolation).toBeLessThanOrEqual(1e-12);
    expect(rc.multipliers.size).toBe(4);
    // x is close to the constrained lower-level solution at the final λ (projected gradient, many steps).
    let xh = X.zeros([4]);
    for (let k = 0; k < 3000; k++)
      xh = box(X.sub(xh, X.mul(0.05, X.grad((z: X.Tensor) => p.inner(z, rc.lambda))(xh) as X.Tensor)));
    expect(X.norm(X.sub(rc.x, xh)).item()).toBeLessThan(0.05);
  });
  it("bad options are typed errors", () => {
    expect(() => aid(spec, { outerLr: -1 })).toThrow(/outerLr/);
    expect(() => stocBio(spec, { neumannTerms: 0 })).toThrow(/neumannTerms/);
    expect(() => boRep(spec, { period: 0.5 })).toThrow(/period/);
    expect(() => f2sa(spec, { rho0: 0 })).toThrow(/rho0/);
    expect(() => lvHba(spec, { gamma1: 0 })).toThrow(/gamma1/);
  });
});
