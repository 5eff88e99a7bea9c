// Spectral mixture kernel (Wilson & Adams, "Gaussian Process Kernels for Pattern Discovery and
// Extrapolation", ICML 2013, eq. 12): k(τ) = Σ_q w_q Π_p exp(−2π² τ_p² v_qp) cos(2π τ_p μ_qp), the Fourier
// transform of a mixture of Q Gaussians in frequency space (weights w, means μ, variances v, all > 0, stored as logs).
import { add, cos, exp, mul, reshape, ShapeError, slice, square, sum, type Tensor, zeros } from "@x/tensor";
import { checkParams, Kernel, logPositive, type Params } from "./kernel.js";
import { featureDiffs } from "./laplace.js";

export interface SpectralMixtureOptions {
  /** Mixture weights w_q > 0, length Q. */
  weights: readonly number[];
  /** Spectral means μ_q [Q][d] (frequencies > 0). */
  means: readonly (readonly number[])[];
  /** Spectral variances v_q [Q][d] (> 0). */
  variances: readonly (readonly number[])[];
}

export class SpectralMixtureKernel extends Kernel {
  readonly name = "spectralMixture";
  evaluate(params: Params, x: Tensor, y: Tensor): Tensor {
    const w = exp(params.logWeights!);
    const mu = exp(params.logMeans!);
    const v = exp(params.logVariances!);
    const [Q, d] = mu.shape as [number, number];
    if (x.shape[1] !== d)
      throw new ShapeError(`spectralMixture: the kernel has ${d} features, the inputs ${x.shape[1]}`);
    const diffs = featureDiffs(x, y);
    let k: Tensor = zeros([x.shape[0]!, y.shape[0]!]);
    for (let q = 0; q < Q; q++) {
      let term: Tensor = reshape(slice(w, [[q, q + 1]]), []);
      diffs.forEach((tau, p) => {
        const vqp = reshape(
          slice(v, [
            [q, q + 1],
            [p, p + 1],
          ]),
          [],
        );
        const mqp = reshape(
          slice(mu, [
            [q, q + 1],
            [p, p + 1],
          ]),
          [],
        );
        term = mul(
          term,
          mul(exp(mul(-2 * Math.PI * Math.PI, mul(square(tau), vqp))), cos(mul(2 * Math.PI, mul(tau, mqp)))),
        );
      });
      k = add(k, term);
    }
    return k;
  }
  evaluateDiag(params: Params, x: Tensor): Tensor {
    return add(zeros([x.shape[0]!]), sum(exp(params.logWeights!)));
  }
  withParams(params: Params): SpectralMixtureKernel {
    return new SpectralMixtureKernel(checkParams(this.params, params, "spectralMixture.withParams"));
  }
}

export function spectralMixture(opts: SpectralMixtureOptions): SpectralMixtureKernel {
  const Q = opts.weights.length;
  const d = opts.means[0]?.length ?? 0;
  if (Q === 0 || opts.means.length !== Q || opts.variances.length !== Q) {
    throw new ShapeError(
      `spectralMixture: weights, means and variances need the same Q ≥ 1 components, got ${Q}, ${opts.means.length}, ${opts.variances.length}`,
    );
  }
  for (const rows of [opts.means, opts.variances]) {
    if (rows.some((r) => r.length !== d || d === 0)) {
      throw new ShapeError(`spectralMixture: means and variances must be [Q][d] with the same d ≥ 1`);
    }
  }
  const mat = (rows: readonly (readonly number[])[], name: string) =>
    reshape(logPositive(rows.flat(), name, "spectralMixture"), [Q, d]);
  return new SpectralMixtureKernel({
    logWeights: logPositive(opts.weights, "weights", "spectralMixture"),
    logMeans: mat(opts.means, "means"),
    logVariances: mat(opts.variances, "variances"),
  });
}
