// Inverse multiquadric kernel σ² (1 + ‖x − y‖²/c²)^β, β ∈ (−∞, 0) (Micchelli 1986; the kernel of kernel Stein
// discrepancies, Gorham & Mackey 2017). With σ² = c^{2β} it is (c² + ‖x − y‖²)^β. The lengthscale is c.
import { add, exp, log1p, mul, type Tensor, ValueError } from "@x/tensor";
import type { Params } from "./kernel.js";
import { StationaryKernel, type StationaryOptions, stationaryParams } from "./stationary.js";

export interface InverseMultiquadricOptions extends StationaryOptions {
  /** Exponent β < 0 (fixed). Default −½. */
  beta?: number;
}

export class InverseMultiquadricKernel extends StationaryKernel {
  readonly name = "inverseMultiquadric";
  constructor(
    params: Params,
    readonly beta: number,
  ) {
    super(params);
  }
  profile(params: Params, r2: Tensor): Tensor {
    return exp(add(params.logVariance!, mul(this.beta, log1p(r2))));
  }
}

export function inverseMultiquadric(opts: InverseMultiquadricOptions = {}): InverseMultiquadricKernel {
  const beta = opts.beta ?? -0.5;
  if (!(Number.isFinite(beta) && beta < 0)) {
    throw new ValueError(`inverseMultiquadric: beta must be finite and < 0, got ${beta}`);
  }
  return new InverseMultiquadricKernel(stationaryParams("inverseMultiquadric", opts), beta);
}
