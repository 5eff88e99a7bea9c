// The fused closed-form ARD-RBF path of logMarginalLikelihoodAndGrad and the blocked potri behind it, against
// autodiff through the general tensor path and against direct residuals; the ftol stopping test of fitGp.
import * as L from "@x/linalg";
import * as X from "@x/tensor";
import { expectClose } from "@x/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fitGp, logMarginalLikelihood, logMarginalLikelihoodAndGrad, RbfKernel, rbf } from "../src/index.js";
import { choleskyInverse } from "../src/internal/chol-inverse.js";
import ard from "./fixtures/gp-ard.json";

/** Same kernel, but not the RbfKernel prototype itself: takes the general (reverse-mode) trace path. */
class GeneralRbf extends RbfKernel {}

function asGeneral(k: RbfKernel): GeneralRbf {
  const g = Object.create(GeneralRbf.prototype) as GeneralRbf;
  return Object.assign(g, k);
}

/** Autodiff gradient of the tensor LML (no trace formula anywhere) w.r.t. every hyperparameter, one reverse pass. */
function autodiffGrad(k: RbfKernel, x: X.Tensor, y: X.Tensor, logNoise: X.Tensor) {
  type P = { logLengthscale: X.Tensor; logVariance: X.Tensor; logNoise: X.Tensor };
  const lml = (p: P) =>
    logMarginalLikelihood(k, x, y, {
      params: { kernel: { logLengthscale: p.logLengthscale, logVariance: p.logVariance }, logNoise: p.logNoise },
    });
  return X.grad(lml)({ logLengthscale: k.params.logLengthscale!, logVariance: k.params.logVariance!, logNoise }) as P;
}

/** Relative agreement scaled by the largest gradient entry (entries near 0 are compared absolutely at that scale). */
function expectGradClose(actual: X.Tensor, expected: X.Tensor, scale: number, label: string) {
  expect(actual.shape).toEqual(expected.shape);
  expectClose(actual, expected, { rtol: 1e-8, atol: 1e-8 * scale }, label);
}

const arbLengthscale = (d: number) =>
  fc.oneof(
    fc.double({ min: 0.3, max: 3, noNaN: true }),
    fc.double({ min: 0.3, max: 3, noNaN: true }).map((v) => [v]),
    fc.array(fc.double({ min: 0.3, max: 3, noNaN: true }), { minLength: d, maxLength: d }),
  );

describe("fused ARD-RBF LML gradient", () => {
  it("equals autodiff through the general path (random data, lengthscales, variance, noise; 1e-8 relative)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((d) =>
          fc.record({
            d: fc.constant(d),
            n: fc.integer({ min: 2, max: 32 }),
            seed: fc.integer({ min: 0, max: 2 ** 30 }),
            lengthscale: arbLengthscale(d),
            variance: fc.double({ min: 0.2, max: 3, noNaN: true }),
            noise: fc.double({ min: 1e-3, max: 0.5, noNaN: true }),
          }),
        ),
        ({ d, n, seed, lengthscale, variance, noise }) => {
          const [ka, kb] = X.split(X.rng(seed), 2);
          const x = X.uniform(ka!, [n, d], -2, 2);
          const y = X.normal(kb!, [n]);
          const k = rbf({ lengthscale, variance });
          const fast = logMarginalLikelihoodAndGrad(k, x, y, { noise });
          const general = logMarginalLikelihoodAndGrad(asGeneral(k), x, y, { noise });
          const ad = autodiffGrad(k, x, y, X.tensor(Math.log(noise)));
          const value = logMarginalLikelihood(k, x, y, { noise }).item();
          expectClose([fast.value], [value], { rtol: 1e-10, atol: 1e-10 }, "value");
          expectClose([general.value], [value], { rtol: 1e-10, atol: 1e-10 }, "general value");
          const all = [...ad.logLengthscale.data, ad.logVariance.item(), ad.logNoise.item()];
          const scale = Math.max(1, ...all.map(Math.abs));
          expectGradClose(fast.grad.kernel.logLengthscale!, ad.logLengthscale, scale, "∂/∂log ℓ");
          expectGradClose(fast.grad.kernel.logVariance!, ad.logVariance, scale, "∂/∂log σ²");
          expectGradClose(fast.grad.logNoise, ad.logNoise, scale, "∂/∂log σₙ²");
          expectGradClose(fast.grad.kernel.logLengthscale!, general.grad.kernel.logLengthscale!, scale, "vs trace");
          expect(fast.jitter).toBe(general.jitter);
        },
      ),
      { numRuns: 15 },
    );
  });

  it("agrees with the general path at n = 150 (two potri tiles) and when the jitter policy steps in", () => {
    const x = X.uniform(X.rng(7), [150, 3], -2, 2);
    const y = X.sin(X.sum(x, { axis: 1 }));
    const k = rbf({ lengthscale: [0.9, 1.7, 0.4], variance: 1.4 });
    const fast = logMarginalLikelihoodAndGrad(k, x, y, { noise: 0.02 });
    const general = logMarginalLikelihoodAndGrad(asGeneral(k), x, y, { noise: 0.02 });
    expectClose([fast.value], [general.value], { rtol: 1e-10 });
    const g = (r: typeof fast) => [...r.grad.kernel.logLengthscale!.data, r.grad.kernel.logVariance!.item()];
    const scale = Math.max(...g(general).map(Math.abs));
    expectClose(g(fast), g(general), { rtol: 1e-8, atol: 1e-8 * scale });
    expectClose(fast.grad.logNoise, general.grad.logNoise, { rtol: 1e-8, atol: 1e-8 * scale });
    // Duplicated points and a tiny noise: K + σₙ²I is singular to rounding, so a jitter is added — the same one.
    const xh = X.slice(x, [[0, 40]]);
    const yh = X.slice(y, [[0, 40]]);
    const xd = X.concat([xh, xh], 0);
    const yd = X.concat([yh, yh], 0);
    const fj = logMarginalLikelihoodAndGrad(k, xd, yd, { noise: 1e-300 });
    const gj = logMarginalLikelihoodAndGrad(asGeneral(k), xd, yd, { noise: 1e-300 });
    expect(fj.jitter).toBeGreaterThan(0);
    expect(fj.jitter).toBe(gj.jitter);
    expectClose([fj.value], [gj.value], { rtol: 1e-9 });
  });

  it("rejects ARD lengthscales that do not match the features", () => {
    const k = rbf({ lengthscale: [1, 2, 3] });
    expect(() => logMarginalLikelihoodAndGrad(k, [[0, 1]], [1], { noise: 0.1 })).toThrow(X.ShapeError);
    expect(() => logMarginalLikelihoodAndGrad(k, [[0, 1]], [1], { noise: 0.1 })).toThrow(/3 ARD lengthscales/);
  });
});

describe("ARD-RBF GP vs scikit-learn GaussianProcessRegressor (n = 160, d = 4)", () => {
  for (const [i, c] of ard.cases.entries()) {
    it(`case ${i}: LML and gradient (theta order [log C, log ℓ…, log noise])`, () => {
      const k = rbf({ lengthscale: c.lengthscale, variance: c.variance });
      const r = logMarginalLikelihoodAndGrad(k, ard.X, ard.y, { noise: c.noise });
      expectClose([r.value], [c.lml], { rtol: 1e-10, atol: 1e-10 });
      const g = [r.grad.kernel.logVariance!.item(), ...r.grad.kernel.logLengthscale!.data, r.grad.logNoise.item()];
      const scale = Math.max(1, ...c.grad.map(Math.abs));
      expectClose(g, c.grad, { rtol: 1e-8, atol: 1e-9 * scale });
    });
  }

  it("fitGp reaches scikit-learn's fitted LML (one L-BFGS-B run from the same start)", () => {
    const r = fitGp(rbf({ lengthscale: [1, 1, 1, 1] }), ard.X, ard.y, { noise: 0.1 });
    expect(r.converged).toBe(true);
    expectClose([r.logMarginalLikelihood], [ard.fit.lml], { rtol: 1e-6, atol: 0 });
    const theta = [r.kernel.params.logVariance!.item(), ...r.kernel.params.logLengthscale!.data, Math.log(r.noise)];
    expectClose(theta, ard.fit.theta, { rtol: 1e-3, atol: 1e-3 });
  });
});

describe("blocked potri (choleskyInverse)", () => {
  it("(LLᵀ)⁻¹ has A·A⁻¹ = I and is exactly symmetric, across tile boundaries", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: 1, max: 160 }), fc.constantFrom(127, 128, 129, 257)),
        fc.integer({ min: 0, max: 2 ** 30 }),
        (n, seed) => {
          const b = X.uniform(X.rng(seed), [n, n], -1, 1);
          const a = X.add(X.div(X.matmul(b, X.transpose(b)), n), X.mul(0.05, X.eye(n)));
          const inv = choleskyInverse(L.cholesky(a).l);
          const r = X.sub(X.matmul(a, X.fromData(inv, [n, n])), X.eye(n));
          // cond(a) ≤ (1/3 + 0.05)/0.05 ≈ 8 in expectation for this family; the residual bound is loose.
          expect(X.max(X.abs(r)).item()).toBeLessThan(1e-10 * n);
          let asym = 0;
          for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) asym += inv[i * n + j] === inv[j * n + i] ? 0 : 1;
          expect(asym).toBe(0);
        },
      ),
      { numRuns: 8 },
    );
  });
});

describe("fitGp ftol (SciPy L-BFGS-B factr test)", () => {
  it("stops earlier on a flat direction with the same likelihood to 1e-6 relative", () => {
    // Feature 2 is irrelevant, so its lengthscale drifts towards ∞ along a nearly flat valley.
    const x = X.uniform(X.rng(3), [60, 3], -2, 2);
    const cols = X.split(X.rng(4), 1);
    const y = X.add(X.sin(X.matmul(x, X.tensor([1, 0.5, 0]))), X.mul(0.1, X.normal(cols[0]!, [60])));
    const k = rbf({ lengthscale: [1, 1, 1] });
    const fast = fitGp(k, x, y, { noise: 0.1 });
    const strict = fitGp(k, x, y, { noise: 0.1, ftol: 0 });
    expect(fast.converged).toBe(true);
    expect(strict.converged).toBe(true);
    expect(strict.message).toMatch(/gradient norm/);
    expect(fast.message).toMatch(/relative reduction of −L ≤ ftol/);
    expect(fast.iterations).toBeLessThan(strict.iterations);
    expect(Math.abs(fast.logMarginalLikelihood - strict.logMarginalLikelihood)).toBeLessThanOrEqual(
      1e-6 * Math.abs(strict.logMarginalLikelihood),
    );
    expect(() => fitGp(k, x, y, { ftol: -1 })).toThrow(/ftol must be ≥ 0/);
  });
});
