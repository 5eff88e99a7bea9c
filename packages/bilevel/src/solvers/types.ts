// Options and result shared by the bilevel solvers.
import type { Tensor, TensorLike } from "@x/tensor";
import type { Objective } from "../internal/oracles.js";
import type { FiniteSum } from "../problems/types.js";

export interface BilevelSpec {
  /** Upper-level f(x, λ, k?) (k = iteration, for minibatch estimates). */
  outer: Objective;
  /** Lower-level g(x, λ, k?). */
  inner: Objective;
  x0: TensorLike;
  lambda0: TensorLike;
  /** Finite-sum structure (the ready-made problems provide it): needed by `options.minibatch`. */
  batch?: FiniteSum;
}

export interface MinibatchOptions {
  /** Inner (training) samples per oracle call. */
  batchSize: number;
  /** Outer (validation) samples per oracle call (default min(batchSize, nOuter)). */
  outerBatchSize?: number;
  /** Seed of the sampler (default 0): runs are reproducible. */
  seed?: number;
}

export interface BilevelSolverOptions {
  /** Outer iterations (default 200). */
  maxIter?: number;
  /** Stop when ‖hypergradient estimate‖₂ ≤ tol (default 1e-6). */
  tol?: number;
  /** Upper-level step size β (default 0.05). */
  outerLr?: number;
  /** Lower-level step size α (default 1/L from power iteration on ∇²ₓg at (x0, λ0)). */
  innerLr?: number;
  /** Lower-level steps per outer iteration (default 10). */
  innerSteps?: number;
  /**
   * Stochastic oracles: every gradient, Hessian- or Jacobian-vector product draws its own minibatch
   * (uniform without replacement, seeded) from `spec.batch`, as stocBiO/SOBA assume. f's history stays exact.
   */
  minibatch?: MinibatchOptions;
  /** Called after each outer iteration; returning true stops the run. */
  callback?: (info: { iteration: number; lambda: Tensor; x: Tensor; value: number; gradNorm: number }) => unknown;
}

export interface BilevelSolverResult {
  /** Lower-level variable at the end. */
  x: Tensor;
  /** Upper-level variable (the hyperparameter). */
  lambda: Tensor;
  /** f(x_k, λ_k) after each outer iteration (entry 0: at the start). */
  outerHistory: number[];
  /** ‖hypergradient estimate‖₂ per iteration. */
  gradNormHistory: number[];
  converged: boolean;
  iterations: number;
}
