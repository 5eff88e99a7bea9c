// Laplace kernel σ² exp(−Σₚ |xₚ − yₚ|/ℓₚ) on the L1 distance (scikit-learn's laplacian_kernel with γ = 1/ℓ).
// Built one feature at a time so memory stays O(n·m), not O(n·m·d).
import { abs, add, div, exp, mul, reshape, ShapeError, slice, sub, type Tensor, zeros } from "@x/tensor";
import { checkParams, Kernel, logPositive, type Params } from "./kernel.js";

export interface LaplaceOptions {
  /** One lengthscale or one per feature. Default 1. */
  lengthscale?: number | readonly number[];
  variance?: number;
}

/** Column p of x [n, d] as [n, 1]. */
export function column(x: Tensor, p: number): Tensor {
  return slice(x, [null, [p, p + 1]]);
}

/** Per-feature differences xₚ[i] − yₚ[j] as d matrices [n, m]. */
export function featureDiffs(x: Tensor, y: Tensor): Tensor[] {
  const d = x.shape[1]!;
  const out: Tensor[] = [];
  for (let p = 0; p < d; p++) out.push(sub(column(x, p), reshape(column(y, p), [1, y.shape[0]!])));
  return out;
}

export class LaplaceKernel extends Kernel {
  readonly name = "laplace";
  evaluate(params: Params, x: Tensor, y: Tensor): Tensor {
    const ls = exp(params.logLengthscale!);
    const d = x.shape[1]!;
    if (ls.rank === 1 && ls.shape[0] !== 1 && ls.shape[0] !== d) {
      throw new ShapeError(`laplace: ${ls.shape[0]} lengthscales but the inputs have ${d} features`);
    }
    let r: Tensor = zeros([x.shape[0]!, y.shape[0]!]);
    featureDiffs(x, y).forEach((diff, p) => {
      const l = ls.rank === 0 || ls.shape[0] === 1 ? reshape(ls, []) : slice(ls, [[p, p + 1]]);
      r = add(r, div(abs(diff), l));
    });
    return exp(add(params.logVariance!, mul(-1, r)));
  }
  evaluateDiag(params: Params, x: Tensor): Tensor {
    return exp(add(params.logVariance!, zeros([x.shape[0]!])));
  }
  withParams(params: Params): LaplaceKernel {
    return new LaplaceKernel(checkParams(this.params, params, "laplace.withParams"));
  }
}

export function laplace(opts: LaplaceOptions = {}): LaplaceKernel {
  return new LaplaceKernel({
    logLengthscale: logPositive(opts.lengthscale ?? 1, "lengthscale", "laplace"),
    logVariance: logPositive(opts.variance ?? 1, "variance", "laplace"),
  });
}
