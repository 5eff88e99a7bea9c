// Shared base of isotropic/ARD stationary kernels k(x, y) = σ²·f(r²), r² = ‖(x − y)/ℓ‖² (Rasmussen &
// Williams, "Gaussian Processes for Machine Learning", 2006, ch. 4). ℓ is one lengthscale or one per
// feature (ARD); both σ² and ℓ are stored as logs.
import { add, div, exp, pairwiseSqDist, ShapeError, sqrt, type Tensor, zeros } from "@x/tensor";
import { checkParams, Kernel, logPositive, type Params } from "./kernel.js";

export interface StationaryOptions {
  /** One lengthscale, or one per feature (ARD). Default 1. */
  lengthscale?: number | readonly number[];
  /** Signal variance σ² (the value at r = 0). Default 1. */
  variance?: number;
}

export abstract class StationaryKernel extends Kernel {
  /** σ²·f(r²) as a function of the scaled squared distance. */
  abstract profile(params: Params, r2: Tensor): Tensor;

  /** Inputs divided by the lengthscale(s). */
  scale(params: Params, x: Tensor): Tensor {
    const ls = params.logLengthscale!;
    if (ls.rank === 1 && ls.shape[0] !== 1 && ls.shape[0] !== x.shape[1]) {
      throw new ShapeError(`${this.name}: ${ls.shape[0]} ARD lengthscales but the inputs have ${x.shape[1]} features`);
    }
    return div(x, exp(ls));
  }

  evaluate(params: Params, x: Tensor, y: Tensor): Tensor {
    return this.profile(params, pairwiseSqDist(this.scale(params, x), this.scale(params, y)));
  }

  evaluateDiag(params: Params, x: Tensor): Tensor {
    return this.profile(params, zeros([x.shape[0]!]));
  }

  withParams(params: Params): Kernel {
    const k = Object.create(Object.getPrototypeOf(this)) as StationaryKernel;
    Object.assign(k, this, { params: checkParams(this.params, params, `${this.name}.withParams`) });
    return k;
  }
}

/** r = √(r² + 10⁻³⁰⁰): finite derivative chains at r = 0 (the tiny shift is far below float64 resolution of r²). */
export function safeDist(r2: Tensor): Tensor {
  return sqrt(add(r2, 1e-300));
}

/** Log-parameters { logLengthscale, logVariance } of a stationary kernel, validated. */
export function stationaryParams(name: string, opts: StationaryOptions): Params {
  return {
    logLengthscale: logPositive(opts.lengthscale ?? 1, "lengthscale", name),
    logVariance: logPositive(opts.variance ?? 1, "variance", name),
  };
}
