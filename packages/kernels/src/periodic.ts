// Periodic (exp-sine-squared) kernel σ² exp(−2 sin²(π‖x − y‖/p)/ℓ²) (MacKay 1998; scikit-learn's ExpSineSquared).
import { add, div, exp, mul, pairwiseSqDist, sin, square, type Tensor, zeros } from "@x/tensor";
import { checkParams, Kernel, logPositive, type Params } from "./kernel.js";
import { safeDist } from "./stationary.js";

export interface PeriodicOptions {
  lengthscale?: number;
  period?: number;
  variance?: number;
}

export class PeriodicKernel extends Kernel {
  readonly name = "periodic";
  private profile(params: Params, r: Tensor): Tensor {
    const s = sin(mul(Math.PI, div(r, exp(params.logPeriod!))));
    return exp(add(params.logVariance!, mul(-2, mul(square(s), exp(mul(-2, params.logLengthscale!))))));
  }
  evaluate(params: Params, x: Tensor, y: Tensor): Tensor {
    return this.profile(params, safeDist(pairwiseSqDist(x, y)));
  }
  evaluateDiag(params: Params, x: Tensor): Tensor {
    return this.profile(params, zeros([x.shape[0]!]));
  }
  withParams(params: Params): PeriodicKernel {
    return new PeriodicKernel(checkParams(this.params, params, "periodic.withParams"));
  }
}

export function periodic(opts: PeriodicOptions = {}): PeriodicKernel {
  return new PeriodicKernel({
    logLengthscale: logPositive(opts.lengthscale ?? 1, "lengthscale", "periodic"),
    logPeriod: logPositive(opts.period ?? 1, "period", "periodic"),
    logVariance: logPositive(opts.variance ?? 1, "variance", "periodic"),
  });
}
