// Options and result of `minimize` (shared by every deterministic method).
import type { PyTree, Tensor } from "@x/tensor";

export type MinimizeMethod = "gd" | "bfgs" | "lbfgs" | "lbfgsb" | "newton-cg" | "trust-ncg" | "newton" | "arc";

export interface IterationInfo {
  iteration: number;
  x: PyTree;
  fun: number;
  gradNorm: number;
}

export interface MinimizeOptions {
  /** Default 'lbfgs'. */
  method?: MinimizeMethod;
  /** Converged when ‖∇f‖∞ ≤ tol. Default 1e-6. */
  tol?: number;
  /** Maximum iterations (default 1000); reaching it reports converged: false. */
  maxIter?: number;
  /** Called after every iteration; returning true stops the run (converged: false). */
  callback?: (info: IterationInfo) => unknown;
  /** f returns [value, gradient] itself (SciPy's jac=True fast path, no autodiff; HVPs by finite differences). */
  jac?: boolean;
  /** Hessian-vector products by autodiff (default; reverse-over-reverse on a cached gradient graph) or finite differences of gradients. */
  hvp?: "autodiff" | "fd";
  /**
   * ∇²f(x)·v supplied by the caller (SciPy's `hessp`): x and v come in the structure of x0, the result may be
   * a pytree like x0 or a Float64Array. Overrides `hvp`; the fast path for Newton-CG, trust-ncg and ARC with `jac: true`.
   */
  hessp?: (x: any, v: any) => unknown;
  /** L-BFGS history length (default 10). */
  memory?: number;
  /** L-BFGS initial inverse-Hessian scaling: 'dynamic' (sᵀy/yᵀy of the latest pair, default) or 'initial' (first pair's, as BFGS). */
  scaling?: "dynamic" | "initial";
  /** Wolfe constants (default 1e-4, 0.9; 'gd' uses c1 = 0.5 for its Armijo test). */
  c1?: number;
  c2?: number;
  /** Evaluations allowed per line search (default 30). */
  maxLineSearch?: number;
  /** 'gd': first trial step (default 1; later trials start at twice the last accepted step). */
  learningRate?: number;
  /** 'trust-ncg': initial and maximum radius, acceptance threshold (defaults 1, 1000, 0.15). */
  initialTrustRadius?: number;
  maxTrustRadius?: number;
  eta?: number;
  /** 'arc': evaluate the Hessian every this many accepted steps and reuse it in between (default 1). */
  lazyHessian?: number;
  /** 'arc': initial cubic regularisation weight σ₀ (default 1). */
  initialSigma?: number;
  /** 'arc': cubic subproblem by 'eigh' (dense Hessian, secular equation; default for n ≤ 200) or 'lanczos' (matrix-free). */
  subproblem?: "eigh" | "lanczos";
  /** 'lbfgsb': bounds in the flattened order of x0 (a number broadcasts; ±Infinity or omitted = unbounded). */
  lower?: number | readonly number[] | Float64Array | Tensor | null;
  upper?: number | readonly number[] | Float64Array | Tensor | null;
}

export interface MinimizeResult {
  /** The last good iterate, in the structure of x0. */
  x: PyTree;
  fun: number;
  grad: PyTree;
  iterations: number;
  nfev: number;
  ngev: number;
  nhev: number;
  converged: boolean;
  message: string;
  /** f after each iteration (index 0 = f(x0)). */
  history: number[];
  /** ‖∇f‖∞ after each iteration. */
  gradNorms: number[];
}
