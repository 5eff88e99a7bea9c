// Squared-exponential (RBF) kernel with ARD lengthscales: k = σ² exp(−r²/2) (Rasmussen & Williams 2006, eq. 4.9).
import { add, exp, mul, type Tensor } from "@x/tensor";
import type { Params } from "./kernel.js";
import { StationaryKernel, type StationaryOptions, stationaryParams } from "./stationary.js";

export class RbfKernel extends StationaryKernel {
  readonly name = "rbf";
  profile(params: Params, r2: Tensor): Tensor {
    return exp(add(params.logVariance!, mul(-0.5, r2)));
  }
}

/** RBF / squared-exponential kernel σ² exp(−‖(x − y)/ℓ‖²/2); `lengthscale` may be a per-feature array (ARD). */
export function rbf(opts: StationaryOptions = {}): RbfKernel {
  return new RbfKernel(stationaryParams("rbf", opts));
}
