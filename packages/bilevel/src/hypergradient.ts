// One entry point for hypergradients ∇λ F(λ), F(λ) = f(x*(λ), λ), x*(λ) = argmin_x g(x, λ), by
// implicit differentiation (customRoot on F = ∇ₓg; AID), unrolled differentiation (ITD) or the
// penalty method — with one result shape, so methods can be compared and failures are visible.
import { asTensor, grad, type Tensor, type TensorLike, tensor, ValueError, valueAndGrad } from "@x/tensor";
import { customRoot, type InnerResult } from "./custom-root.js";
import { innerArgmin, innerLipschitz } from "./inner-solve.js";
import type { LinearSolveOptions, SolveMethod } from "./linear-solve.js";
import { penaltyHypergradient } from "./penalty.js";
import { unrolledHypergradient } from "./unrolled.js";

export type HypergradientMethod = "implicit" | "unrolled" | "penalty";

export interface HypergradientOptions extends LinearSolveOptions {
  /** Initial inner variable (required: it fixes the shape of x). */
  x0: TensorLike;
  method?: HypergradientMethod;
  /** implicit: a custom inner solver (default L-BFGS to ‖∇ₓg‖∞ ≤ innerTol). */
  innerSolver?: (init: Tensor, lambda: Tensor) => Tensor | InnerResult;
  /** Inner tolerance (default 1e-10) and iteration cap (default 1000; unrolled: innerSteps). */
  innerTol?: number;
  innerMaxIter?: number;
  /** unrolled: K steps of step size innerLr (default 1/L, L from power iteration on ∇²ₓg at x0). */
  innerSteps?: number;
  innerLr?: number;
  momentum?: number;
  truncate?: number;
  checkpoint?: number;
  /** penalty: σ (default 1e-3). */
  sigma?: number;
}

export interface HypergradientResult {
  method: HypergradientMethod;
  /** f(x, λ) at the returned inner solution. */
  value: number;
  grad: Tensor;
  /** The inner solution used. */
  x: Tensor;
  innerResult: { converged: boolean; iterations: number; residual: number };
  /** The derivative's linear solve (unrolled and penalty need none: iterations 0, converged true). */
  linearSolve: {
    method: SolveMethod | "none";
    iterations: number;
    converged: boolean;
    residual: number;
    message?: string;
  };
}

const NO_SOLVE = { method: "none" as const, iterations: 0, converged: true, residual: 0 };

export function hypergradient(
  outer: (x: Tensor, lambda: Tensor) => Tensor,
  inner: (x: Tensor, lambda: Tensor) => Tensor,
  lambdaIn: TensorLike,
  options: HypergradientOptions,
): HypergradientResult {
  if (options === undefined || options.x0 === undefined) {
    throw new ValueError("hypergradient: options.x0 (the initial inner variable) is required");
  }
  const lambda = asTensor(lambdaIn, "lambda");
  const x0 = asTensor(options.x0, "options.x0");
  const method = options.method ?? "implicit";
  const tol = options.innerTol ?? 1e-10;
  const maxIter = options.innerMaxIter ?? 1000;
  if (method === "implicit") {
    const solver = options.innerSolver ?? ((init: Tensor, l: Tensor) => innerArgmin(inner, init, l, { tol, maxIter }));
    const root = customRoot(grad(inner, 0) as (x: Tensor, l: Tensor) => Tensor, solver, options);
    let x: Tensor | undefined;
    const [v, g] = valueAndGrad((l: Tensor) => {
      x = root(x0, l);
      return outer(x, l);
    })(lambda);
    const ls = root.lastLinearSolve;
    const linearSolve = ls
      ? {
          method: ls.method,
          iterations: ls.iterations,
          converged: ls.converged,
          residual: ls.residual,
          ...(ls.message ? { message: ls.message } : {}),
        }
      : { ...NO_SOLVE, method: options.solve ?? "cg" };
    // x was a tracer inside the transform: hand back its plain value.
    const xs = tensor((x as Tensor).data, (x as Tensor).shape);
    return {
      method,
      value: v.item(),
      grad: g as Tensor,
      x: xs,
      innerResult: root.lastSolve ?? { converged: false, iterations: 0, residual: Number.NaN },
      linearSolve,
    };
  }
  if (method === "unrolled") {
    const K = options.innerSteps ?? 100;
    const lr = options.innerLr ?? 1 / (1.1 * innerLipschitz(inner, x0, lambda));
    const r = unrolledHypergradient(outer, inner, lambda, x0, {
      innerSteps: K,
      innerLr: lr,
      ...(options.momentum !== undefined ? { momentum: options.momentum } : {}),
      ...(options.truncate !== undefined ? { truncate: options.truncate } : {}),
      ...(options.checkpoint !== undefined ? { checkpoint: options.checkpoint } : {}),
    });
    return {
      method,
      value: r.value,
      grad: r.grad,
      x: r.x,
      innerResult: { converged: r.innerResidual <= tol, iterations: K, residual: r.innerResidual },
      linearSolve: NO_SOLVE,
    };
  }
  if (method === "penalty") {
    const r = penaltyHypergradient(outer, inner, lambda, x0, {
      tol,
      maxIter,
      ...(options.sigma !== undefined ? { sigma: options.sigma } : {}),
    });
    return { method, value: r.value, grad: r.grad, x: r.x, innerResult: r.innerResult, linearSolve: NO_SOLVE };
  }
  throw new ValueError(`hypergradient: options.method must be implicit, unrolled or penalty, got ${String(method)}`);
}
