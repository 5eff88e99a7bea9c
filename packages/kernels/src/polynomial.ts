// Polynomial kernel (γ⟨x, y⟩ + c)^degree (scikit-learn's polynomial_kernel; positive definite for c ≥ 0 and
// integer degree ≥ 1, Schölkopf & Smola 2002, §2.3).
import { add, exp, matmul, mul, pow, sum, type Tensor, transpose, ValueError } from "@x/tensor";
import { checkParams, Kernel, logPositive, type Params } from "./kernel.js";

export interface PolynomialOptions {
  degree?: number;
  /** Scale γ > 0 of the inner product. Default 1. */
  gamma?: number;
  /** Offset c ≥ 0 (0: homogeneous, no offset hyperparameter). Default 1. */
  coef0?: number;
}

export class PolynomialKernel extends Kernel {
  readonly name = "polynomial";
  constructor(
    params: Params,
    readonly degree: number,
  ) {
    super(params);
  }
  private profile(params: Params, dot: Tensor): Tensor {
    const base = mul(exp(params.logGamma!), dot);
    return pow(params.logCoef0 ? add(base, exp(params.logCoef0)) : base, this.degree);
  }
  evaluate(params: Params, x: Tensor, y: Tensor): Tensor {
    return this.profile(params, matmul(x, transpose(y)));
  }
  evaluateDiag(params: Params, x: Tensor): Tensor {
    return this.profile(params, sum(mul(x, x), { axis: 1 }));
  }
  withParams(params: Params): PolynomialKernel {
    return new PolynomialKernel(checkParams(this.params, params, "polynomial.withParams"), this.degree);
  }
}

export function polynomial(opts: PolynomialOptions = {}): PolynomialKernel {
  const degree = opts.degree ?? 3;
  if (!(Number.isInteger(degree) && degree >= 1)) {
    throw new ValueError(`polynomial: degree must be an integer ≥ 1, got ${degree}`);
  }
  const coef0 = opts.coef0 ?? 1;
  if (!(Number.isFinite(coef0) && coef0 >= 0)) {
    throw new ValueError(`polynomial: coef0 must be finite and ≥ 0, got ${coef0}`);
  }
  const params: Params = { logGamma: logPositive(opts.gamma ?? 1, "gamma", "polynomial") };
  if (coef0 > 0) params.logCoef0 = logPositive(coef0, "coef0", "polynomial");
  return new PolynomialKernel(params, degree);
}
