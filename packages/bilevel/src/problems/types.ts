// The shape every ready-made bilevel problem shares: min_λ f(x*(λ), λ) s.t. x*(λ) = argmin_x g(x, λ).
import type { Tensor } from "@x/tensor";

export interface BilevelProblem {
  name: string;
  /** Lower-level objective g(x, λ) (scalar). */
  inner: (x: Tensor, lambda: Tensor) => Tensor;
  /** Upper-level objective f(x, λ) (scalar). */
  outer: (x: Tensor, lambda: Tensor) => Tensor;
  /** A starting inner variable. */
  x0: Tensor;
  /** A starting hyperparameter. */
  lambda0: Tensor;
  /** An upper bound on the Lipschitz constant of ∇ₓg near λ0 (for step sizes). */
  innerLipschitz: number;
  /** Finite-sum structure, when the objectives are sums over samples (enables minibatch solvers). */
  batch?: FiniteSum;
}

/**
 * g = Σ_{i<nInner} gᵢ + (sample-free terms), f likewise over nOuter samples: `inner(x, λ, idx)` returns the
 * unbiased estimate (nInner/|idx|) Σ_{i∈idx} gᵢ + (sample-free terms) of g, `outer` the same for f.
 */
export interface FiniteSum {
  nInner: number;
  nOuter: number;
  inner: (x: Tensor, lambda: Tensor, idx: readonly number[]) => Tensor;
  outer: (x: Tensor, lambda: Tensor, idx: readonly number[]) => Tensor;
}
