// Rational quadratic kernel σ² (1 + r²/(2α))^(−α), a scale mixture of RBFs (Rasmussen & Williams 2006, eq. 4.19).
import { add, exp, log1p, mul, type Tensor } from "@x/tensor";
import { logPositive, type Params } from "./kernel.js";
import { StationaryKernel, type StationaryOptions, stationaryParams } from "./stationary.js";

export interface RationalQuadraticOptions extends StationaryOptions {
  /** Scale-mixture parameter α > 0 (a hyperparameter, stored as log α). Default 1. */
  alpha?: number;
}

export class RationalQuadraticKernel extends StationaryKernel {
  readonly name = "rationalQuadratic";
  profile(params: Params, r2: Tensor): Tensor {
    const alpha = exp(params.logAlpha!);
    return exp(add(params.logVariance!, mul(mul(-1, alpha), log1p(mul(r2, mul(0.5, exp(mul(-1, params.logAlpha!))))))));
  }
}

export function rationalQuadratic(opts: RationalQuadraticOptions = {}): RationalQuadraticKernel {
  return new RationalQuadraticKernel({
    ...stationaryParams("rationalQuadratic", opts),
    logAlpha: logPositive(opts.alpha ?? 1, "alpha", "rationalQuadratic"),
  });
}
