// Linear (dot-product) kernel σ_b² + σ_v² ⟨x, y⟩ (scikit-learn's DotProduct has σ_v = 1, σ_b = sigma_0).
import { add, exp, matmul, mul, sum, type Tensor, transpose, ValueError } from "@x/tensor";
import { checkParams, Kernel, logPositive, type Params } from "./kernel.js";

export interface LinearOptions {
  /** Weight variance σ_v² > 0. Default 1. */
  variance?: number;
  /** Bias variance σ_b² ≥ 0 (0: no bias term and no bias hyperparameter). Default 0. */
  bias?: number;
}

export class LinearKernel extends Kernel {
  readonly name = "linear";
  evaluate(params: Params, x: Tensor, y: Tensor): Tensor {
    const k = mul(exp(params.logVariance!), matmul(x, transpose(y)));
    return params.logBias ? add(k, exp(params.logBias)) : k;
  }
  evaluateDiag(params: Params, x: Tensor): Tensor {
    const k = mul(exp(params.logVariance!), sum(mul(x, x), { axis: 1 }));
    return params.logBias ? add(k, exp(params.logBias)) : k;
  }
  withParams(params: Params): LinearKernel {
    return new LinearKernel(checkParams(this.params, params, "linear.withParams"));
  }
}

export function linear(opts: LinearOptions = {}): LinearKernel {
  const bias = opts.bias ?? 0;
  if (!(Number.isFinite(bias) && bias >= 0)) throw new ValueError(`linear: bias must be finite and ≥ 0, got ${bias}`);
  const params: Params = { logVariance: logPositive(opts.variance ?? 1, "variance", "linear") };
  if (bias > 0) params.logBias = logPositive(bias, "bias", "linear");
  return new LinearKernel(params);
}
