import * as X from "@x/tensor";
import { describe, expect, it } from "vitest";
import {
  aid,
  boRep,
  f2sa,
  hyperCleaningProblem,
  innerArgmin,
  lvHba,
  quadraticBilevel,
  ridgeProblem,
  soba,
  stocBio,
} from "../src/index.js";
import { sampledObjectives } from "../src/internal/sampler.js";

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
  it("BO-REP with a decaying normalised step (η/√(k+1)) gets past the constant step's neighbourhood", () => {
    const constant = boRep(spec, { outerLr: 0.05, maxIter: 200, period: 3 });
    const decayed = boRep(spec, { outerLr: 0.1, maxIter: 200, period: 3, stepDecay: "sqrt" });
    expect(err(constant.lambda)).toBeGreaterThan(0.05); // hovers at distance ~η
    expect(err(decayed.lambda)).toBeLessThan(0.01);
    expect(() => boRep(spec, { stepDecay: "linear" as never })).toThrow(/stepDecay/);
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

describe("stochastic solvers with minibatch oracles (seeded sampler)", () => {
  // Ridge with a learnable scalar log-regulariser: noisy targets, so the optimum λ* is interior.
  const [k1, k2, k3, k4, k5] = X.split(X.rng(21), 5) as [X.Key, X.Key, X.Key, X.Key, X.Key];
  const n = 64;
  const wt = X.normal(k5, [5]);
  const Xt = X.normal(k1, [n, 5]);
  const Xv = X.normal(k3, [n, 5]);
  const yt = X.add(X.matmul(Xt, wt), X.mul(2, X.normal(k2, [n])));
  const yv = X.add(X.matmul(Xv, wt), X.mul(2, X.normal(k4, [n])));
  const ridge = ridgeProblem(Xt, yt, Xv, yv, 2);
  // λ* by bisection on the closed-form hypergradient (independent of every solver).
  let lo = -6;
  let hi = 8;
  for (let i = 0; i < 60; i++) {
    const m = (lo + hi) / 2;
    if (ridge.closedForm(m).grad.item() > 0) hi = m;
    else lo = m;
  }
  const lamStar = (lo + hi) / 2;
  // Mean squared distance to λ* over the last 150 of 300 SOBA iterations (the stationary spread).
  const spread = (batchSize: number, seed: number) => {
    const path: number[] = [];
    const r = soba(ridge, {
      outerLr: 0.002,
      innerLr: 0.005,
      maxIter: 300,
      tol: 1e-14,
      minibatch: { batchSize, seed },
      callback: ({ lambda }) => {
        path.push(lambda.item());
      },
    });
    const tail = path.slice(150);
    return { mse: tail.reduce((s, v) => s + (v - lamStar) ** 2, 0) / tail.length, last: r.lambda.item() };
  };

  it("SOBA on ridge: the neighbourhood of λ* shrinks with the batch size; full batches converge", () => {
    const small = [0, 1].map((s) => spread(4, s));
    const large = [0, 1].map((s) => spread(16, s));
    const full = spread(n, 0);
    const mean = (r: { mse: number }[]) => r.reduce((s, v) => s + v.mse, 0) / r.length;
    // The noise is real (seeds give different paths, the spread is far above the full-batch error) …
    expect(new Set(small.map((r) => r.last.toFixed(8))).size).toBe(2);
    expect(mean(small)).toBeGreaterThan(100 * full.mse);
    // … and a 4× larger batch cuts the spread by well over half (variance ∝ 1/batch predicts 4×).
    expect(mean(large)).toBeLessThan(0.4 * mean(small));
    expect(Math.abs(full.last - lamStar)).toBeLessThan(5e-3);
  });

  it("stocBiO and BO-REP on hyper-cleaning with 10-of-40 minibatches decrease the true outer objective", () => {
    const p = hyperCleaningProblem({ nTrain: 40, nVal: 40, d: 5, seed: 1 });
    const F = (l: X.Tensor) => p.outer(innerArgmin(p.inner, p.x0, l, { tol: 1e-10 }).x, l).item();
    const F0 = F(p.lambda0);
    const mb = (seed: number) => ({ batchSize: 10, seed });
    for (const [name, run] of [
      [
        "stocBiO",
        (s: number) => stocBio(p, { outerLr: 10, maxIter: 60, innerSteps: 5, neumannTerms: 10, minibatch: mb(s) }),
      ],
      ["BO-REP", (s: number) => boRep(p, { outerLr: 0.3, maxIter: 60, innerSteps: 5, period: 3, minibatch: mb(s) })],
    ] as const) {
      const ends = [0, 1].map((s) => run(s).lambda);
      const Fs = ends.map(F);
      // Every seeded run improves on F(λ₀) and the average by at least 40%.
      for (const v of Fs) expect(v, name).toBeLessThan(0.8 * F0);
      expect(Fs.reduce((s, v) => s + v, 0) / Fs.length, name).toBeLessThan(0.6 * F0);
      // Different seeds, different minibatches, different iterates.
      expect(X.norm(X.sub(ends[0]!, ends[1]!)).item(), name).toBeGreaterThan(1e-6);
    }
  });

  it("minibatch estimates are unbiased (exact average over all batches) and the sampler draws uniformly", () => {
    const small = ridgeProblem(
      X.slice(Xt, [[0, 6]]),
      X.slice(yt, [[0, 6]]),
      X.slice(Xv, [[0, 5]]),
      X.slice(yv, [[0, 5]]),
    );
    const hc = hyperCleaningProblem({ nTrain: 6, nVal: 5, d: 3, seed: 2 });
    const w = X.tensor([0.3, -0.2, 0.5, 0.1, -0.4]);
    for (const [name, prob, x, lam] of [
      ["ridge", small, w, X.tensor(0.7)],
      ["hyper-cleaning", hc, X.slice(w, [[0, 3]]), X.tensor([0.5, -1, 2, 0, 0.3, -0.2])],
    ] as const) {
      const fsum = prob.batch!;
      const pairs = (n: number) =>
        Array.from({ length: n }, (_, i) => Array.from({ length: n - i - 1 }, (_, j) => [i, i + j + 1])).flat();
      const mean = (vals: number[]) => vals.reduce((s, v) => s + v, 0) / vals.length;
      const gIn = mean(pairs(fsum.nInner).map((idx) => fsum.inner(x, lam, idx).item()));
      const gOut = mean(pairs(fsum.nOuter).map((idx) => fsum.outer(x, lam, idx).item()));
      expect(Math.abs(gIn - prob.inner(x, lam).item()), name).toBeLessThan(1e-10 * (1 + Math.abs(gIn)));
      expect(Math.abs(gOut - prob.outer(x, lam).item()), name).toBeLessThan(1e-10 * (1 + Math.abs(gOut)));
    }
    // 3 of 12 rows per draw, 4000 draws: each row's count is Binomial(4000, 1/4) — mean 1000, sd ≈ 27.
    const counts = new Array(12).fill(0);
    const spy = {
      ...small,
      batch: {
        ...small.batch!,
        nInner: 12,
        inner: (_x: X.Tensor, _l: X.Tensor, idx: readonly number[]) => {
          expect(new Set(idx).size).toBe(3); // without replacement
          for (const i of idx) counts[i]++;
          return X.tensor(0);
        },
      },
    };
    const S = sampledObjectives(spy, { minibatch: { batchSize: 3, seed: 5 } }, "test");
    for (let k = 0; k < 4000; k++) S.g(w, w);
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(6 * 27);
    expect(S.draws().inner).toBe(4000);
  });

  it("minibatch bad input: typed errors", () => {
    expect(() => soba(spec, { minibatch: { batchSize: 2 } })).toThrow(/spec\.batch/);
    expect(() => soba(ridge, { minibatch: { batchSize: 0 } })).toThrow(/batchSize/);
    expect(() => soba(ridge, { minibatch: { batchSize: 65 } })).toThrow(/batchSize/);
    expect(() => stocBio(ridge, { minibatch: { batchSize: 4, outerBatchSize: 1.5 } })).toThrow(/outerBatchSize/);
    expect(() => lvHba(ridge, { minibatch: { batchSize: 4 } })).toThrow(/minibatch/);
  });
});
