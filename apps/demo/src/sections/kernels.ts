import * as K from "@x/kernels";
import * as X from "@x/tensor";

const f = (v: number, d = 4) => v.toFixed(d);

export const kernelsSection = {
  title: "@x/kernels — GP regression, MMD two-sample test, NTK, kernel thinning",
  run(): string[] {
    const out: string[] = [];
    // 1-D toy regression: y = sin(2x) + noise, 40 points on [0, 5]; fit σ², ℓ and the noise by L-BFGS on the LML.
    const key = X.rng(3);
    const [kx, ke] = X.split(key, 2);
    const x = X.mul(5, X.uniform(kx!, [40]));
    const y = X.add(X.sin(X.mul(2, x)), X.mul(0.1, X.normal(ke!, [40])));
    const init = K.rbf({ lengthscale: 1, variance: 1 });
    const lml0 = K.logMarginalLikelihood(init, x, y, { noise: 0.1 }).item();
    const fit = K.fitGp(init, x, y, { noise: 0.1 });
    const h = fit.kernel.hyperparameters();
    out.push(`GP, RBF kernel, 40 noisy samples of sin(2x): LML ${f(lml0)} at (σ²=1, ℓ=1, noise=0.1)`);
    out.push(
      `fitGp (L-BFGS, ${fit.iterations} iterations, converged=${fit.converged}): σ²=${f(h.variance as number)} ℓ=${f(h.lengthscale as number)} noise=${f(fit.noise, 5)} LML=${f(fit.logMarginalLikelihood)}`,
    );
    const post = K.gpPosterior(fit.kernel, x, y, { noise: fit.noise });
    const xs = [0.5, 1.5, 2.5, 3.5];
    const p = post.predict(xs);
    out.push(
      `posterior at ${xs.join(", ")}: mean ${Array.from(p.mean.data, (v) => f(v, 3)).join(", ")} (sin 2x: ${xs.map((v) => f(Math.sin(2 * v), 3)).join(", ")}), sd ${Array.from(p.variance.data, (v) => f(Math.sqrt(v), 3)).join(", ")}`,
    );

    // Kernel two-sample test: N(0, I) vs N(0, I) and vs a shifted sample, 60 points each in 2-D.
    const [a, b, c] = X.split(X.rng(9), 3);
    const P = X.normal(a!, [60, 2]);
    const Q = X.normal(b!, [60, 2]);
    const R = X.add(X.normal(c!, [60, 2]), X.tensor([0.6, 0]));
    const k = K.rbf({ lengthscale: 1 });
    for (const [name, other] of [
      ["same distribution", Q],
      ["mean shifted by 0.6", R],
    ] as const) {
      const t = K.mmdPermutationTest(k, P, other, { numPermutations: 500, seed: 1 });
      out.push(
        `MMD² test (${name}): MMD²_u = ${t.statistic.toExponential(3)}, permutation p-value = ${f(t.pValue, 3)}`,
      );
    }

    // Infinite-width ReLU network with one hidden layer vs the empirical NTK of a width-2048 one.
    const pts = X.normal(X.rng(5), [3, 4]);
    const inf = K.infiniteWidthKernels(pts, undefined, { depth: 1, weightVariance: 2 });
    const emp = K.empiricalNtk(K.mlp({ inputDim: 4, width: 2048, depth: 1, weightVariance: 2, seed: 1 }), pts);
    const rel = X.max(X.abs(X.sub(emp, inf.ntk))).item() / X.max(X.abs(inf.ntk)).item();
    out.push(
      `ReLU NTK: analytic Θ[0,1] = ${f(inf.ntk.data[1]!)}, empirical (width 2048) ${f(emp.data[1]!)}; max relative gap ${f(rel, 3)}`,
    );

    // Kernel thinning: 512 → 16 points, MMD vs a uniform subsample.
    const big = X.normal(X.rng(8), [512, 2]);
    const kt = K.kernelThinning(k, big, { rounds: 5, seed: 2 });
    const perm = X.tensor(Array.from(X.permutation(X.rng(4), 512).data).slice(0, 16));
    const uni = K.mmd2(k, X.take(big, perm, 0), big, { estimator: "biased" }).item();
    out.push(
      `kernel thinning 512 → 16 points: MMD = ${f(Math.sqrt(kt.mmd2))} (uniform subsample: ${f(Math.sqrt(uni))})`,
    );
    return out;
  },
};
