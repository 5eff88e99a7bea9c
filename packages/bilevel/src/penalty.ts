// Penalty (value-function) hypergradient, Hessian-free: Kwon et al., "A fully first-order method for
// stochastic bilevel optimization" (F2SA, ICML 2023); Shen & Chen, "On penalty-based bilevel gradient
// descent" (ICML 2023). With h(λ) = min_y g(y, λ), the penalised problem min_x f(x,λ) + (g(x,λ) − h(λ))/σ
// has the solution x_σ = argmin_x σf + g, and by Danskin's theorem its λ-gradient is
//   ∂λf(x_σ, λ) + (∂λg(x_σ, λ) − ∂λg(y*, λ))/σ,
// which differs from the true hypergradient by O(σ). Only gradients of f and g are used.
import { add, div, grad, mul, sub, type Tensor, ValueError } from "@x/tensor";
import { type ArgminOptions, innerArgmin } from "./inner-solve.js";

export interface PenaltyOptions extends ArgminOptions {
  /** Penalty parameter σ > 0 (error O(σ)); default 1e-3. */
  sigma?: number;
}

export interface PenaltyResult {
  value: number;
  grad: Tensor;
  /** y* = argmin g (the lower-level solution). */
  x: Tensor;
  /** x_σ = argmin σf + g. */
  xSigma: Tensor;
  innerResult: { converged: boolean; iterations: number; residual: number };
}

export function penaltyHypergradient(
  outer: (x: Tensor, lambda: Tensor) => Tensor,
  inner: (x: Tensor, lambda: Tensor) => Tensor,
  lambda: Tensor,
  x0: Tensor,
  options: PenaltyOptions = {},
): PenaltyResult {
  const sigma = options.sigma ?? 1e-3;
  if (!(sigma > 0) || !Number.isFinite(sigma)) throw new ValueError(`penalty: sigma must be > 0, got ${sigma}`);
  const y = innerArgmin(inner, x0, lambda, options);
  const xs = innerArgmin((x, l) => add(mul(sigma, outer(x, l)), inner(x, l)), y.x, lambda, options);
  const gl = (fn: (x: Tensor, l: Tensor) => Tensor, x: Tensor) => grad(fn, 1)(x, lambda) as Tensor;
  const g = add(gl(outer, xs.x), div(sub(gl(inner, xs.x), gl(inner, y.x)), sigma));
  return {
    value: outer(y.x, lambda).item(),
    grad: g,
    x: y.x,
    xSigma: xs.x,
    innerResult: {
      converged: y.converged && xs.converged,
      iterations: y.iterations + xs.iterations,
      residual: Math.max(y.residual, xs.residual),
    },
  };
}
