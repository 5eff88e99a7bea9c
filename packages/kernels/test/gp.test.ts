import * as X from "@x/tensor";
import { expectClose, gradCheck } from "@x/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CholeskyJitterError,
  fitGp,
  gpPosterior,
  type Kernel,
  logMarginalLikelihood,
  logMarginalLikelihoodAndGrad,
  matern,
  rbf,
  samplePrior,
} from "../src/index.js";
import gp from "./fixtures/gp.json";

const build = (c: (typeof gp.cases)[number]): Kernel =>
  c.nu === null
    ? rbf({ lengthscale: c.lengthscale, variance: c.variance })
    : matern({ nu: c.nu, lengthscale: c.lengthscale, variance: c.variance });

describe("GP regression vs scikit-learn GaussianProcessRegressor", () => {
  for (const c of gp.cases) {
    it(`${c.name}: LML, gradient (theta order [log C, log ℓ…, log noise]) and posterior`, () => {
      const k = build(c);
      const lml = logMarginalLikelihood(k, gp.X, gp.y, { noise: c.noise }).item();
      expectClose([lml], [c.lml], { rtol: 1e-10, atol: 1e-10 });
      const r = logMarginalLikelihoodAndGrad(k, gp.X, gp.y, { noise: c.noise });
      expectClose([r.value], [c.lml], { rtol: 1e-10, atol: 1e-10 });
      const g = [r.grad.kernel.logVariance!.item(), ...r.grad.kernel.logLengthscale!.data, r.grad.logNoise.item()];
      expectClose(g, c.grad, { rtol: 1e-8, atol: 1e-9 });
      const post = gpPosterior(k, gp.X, gp.y, { noise: c.noise }).predict(gp.Xs, { fullCov: true });
      expectClose(post.mean, c.mean, { rtol: 1e-8, atol: 1e-10 });
      expectClose(post.covariance!, c.cov, { rtol: 1e-7, atol: 1e-10 });
      expectClose(
        post.variance,
        c.cov.map((row, i) => row[i]!),
        { rtol: 1e-7, atol: 1e-10 },
      );
    });
  }

  it("fitGp (L-BFGS) reaches scikit-learn's fitted LML on a 1-D toy set", () => {
    const r = fitGp(rbf({ lengthscale: 1 }), gp.fit.x, gp.fit.y, { noise: 0.1 });
    expect(r.converged).toBe(true);
    expect(r.logMarginalLikelihood).toBeGreaterThanOrEqual(gp.fit.lml - 1e-6);
    const theta = [
      Math.log(r.kernel.hyperparameters().variance as number),
      Math.log(r.kernel.hyperparameters().lengthscale as number),
      Math.log(r.noise),
    ];
    expectClose(theta, gp.fit.theta, { rtol: 1e-3, atol: 1e-3 });
    // The history of −L decreases.
    expect(r.history.at(-1)!).toBeLessThanOrEqual(r.history[0]!);
  });
});

const arbData = (n: number, d: number) =>
  fc
    .tuple(
      fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: n * d, maxLength: n * d }),
      fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: n, maxLength: n }),
    )
    .map(([xs, ys]) => [X.tensor(xs, [n, d]), X.tensor(ys)] as const);

describe("GP properties", () => {
  it("LML gradient (fast trace formula and autodiff) equals finite differences", () => {
    fc.assert(
      fc.property(arbData(6, 2), fc.double({ min: 0.3, max: 2, noNaN: true }), ([x, y], ls) => {
        const k = rbf({ lengthscale: [ls, 1.3], variance: 1.2 });
        const noise = 0.1;
        const f = (v: X.Tensor) =>
          logMarginalLikelihood(k, x, y, {
            params: { kernel: { ...k.params, logLengthscale: v }, logNoise: X.tensor(Math.log(noise)) },
          });
        const r = gradCheck(f, k.params.logLengthscale!, { rtol: 1e-5, atol: 1e-7 });
        expect(r.ok, r.details).toBe(true);
        const fast = logMarginalLikelihoodAndGrad(k, x, y, { noise });
        expectClose(fast.grad.kernel.logLengthscale!, X.grad(f)(k.params.logLengthscale!), { rtol: 1e-8, atol: 1e-10 });
        const fn = (v: X.Tensor) => logMarginalLikelihood(k, x, y, { params: { kernel: k.params, logNoise: v } });
        expectClose([fast.grad.logNoise.item()], [(X.grad(fn)(X.tensor(Math.log(noise))) as X.Tensor).item()], {
          rtol: 1e-8,
          atol: 1e-10,
        });
      }),
      { numRuns: 15 },
    );
  });

  it("the posterior mean interpolates noise-free data and the variance vanishes there", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: -40, max: 40 }), { minLength: 2, maxLength: 6 }),
        fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 6, maxLength: 6 }),
        (grid, ys) => {
          const x = X.tensor(grid.map((g) => g / 10));
          const y = X.tensor(ys.slice(0, grid.length));
          const p = gpPosterior(matern({ nu: 2.5, lengthscale: 0.5 }), x, y, { noise: 1e-12 }).predict(x);
          expectClose(p.mean, y, { rtol: 1e-5, atol: 1e-5 });
          expect(X.max(X.abs(p.variance)).item()).toBeLessThan(1e-6);
        },
      ),
    );
  });

  it("seeded samples are reproducible and have the right covariance (prior, 4000 draws)", () => {
    const xs = X.tensor([0, 0.5, 1.5]);
    const k = rbf({ lengthscale: 0.7 });
    const a = samplePrior(k, xs, { seed: 5, nSamples: 4000 });
    expectClose(a, samplePrior(k, xs, { seed: 5, nSamples: 4000 }), { rtol: 0, atol: 0 });
    const emp = X.div(X.matmul(X.transpose(a), a), 4000);
    // Entries of a sample covariance of unit-variance Gaussians have sd ≤ √(2/4000) ≈ 0.022: 5 sd bound.
    expectClose(emp, k.k(xs), { rtol: 0, atol: 0.12 });
    const post = gpPosterior(k, [0.2, 1], [1, -1], { noise: 0.01 });
    const s = post.sample(xs, { seed: 1, nSamples: 3 });
    expect(s.shape).toEqual([3, 3]);
  });
});

describe("GP bad input", () => {
  it("throws a typed error listing the jitters tried when the Gram matrix is not PD", () => {
    const neg = rbf().withParams({ logLengthscale: X.tensor(0), logVariance: X.tensor(0) });
    // A linear kernel with negative noise would be caught earlier; use explicit params to force an indefinite matrix.
    const bad = () =>
      logMarginalLikelihood(neg, [[0], [0]], [1, 2], {
        params: { kernel: neg.params, logNoise: X.tensor(Math.log(1e-300)) },
        jitters: [1e-300, 1e-299],
      });
    // Two identical points: K = [[1,1],[1,1]] is singular; tiny jitters cannot fix it.
    expect(bad).toThrow(CholeskyJitterError);
    expect(bad).toThrow(/tried 0\.0e\+0, 1\.0e-300, 1\.0e-299/);
    expect(() => gpPosterior(rbf(), [[0]], [1], { noise: -1 })).toThrow(/noise must be finite and > 0/);
    expect(() => gpPosterior(rbf(), [[0], [1]], [1], {})).toThrow(X.ShapeError);
    expect(() => gpPosterior(rbf(), [[0, 1]], [1]).predict([[0]])).toThrow(X.ShapeError);
    expect(() => samplePrior(rbf(), [0, 1], { nSamples: 0 })).toThrow(/nSamples/);
    expect(() => fitGp(rbf(), [0, 1], [1, 2], { noise: 0 })).toThrow(/noise must be finite and > 0/);
    expect(() => logMarginalLikelihood(rbf(), X.zeros([0, 1]), [])).toThrow(/n = 0/);
    expect(() => rbf().withParams({ logLengthscale: X.tensor([0, 0]), logVariance: X.tensor(0) })).toThrow(/shape/);
    expect(() => rbf().withParams({ logVariance: X.tensor(0) })).toThrow(/missing "logLengthscale"/);
  });
});
