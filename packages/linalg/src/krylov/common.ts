// Set-up shared by the square Krylov solvers (cg, pcg, fpcg, minres, gmres): the argument checks in one order
// (A and b, then tol/atol/maxIter, then M, then x0) and the first residual with its early exits, so every
// solver reports the same typed errors and starts from the same r₀ = b − A x₀.
import type { LinearOperator, TensorLike } from "@x/tensor";
import {
  applyOf,
  type IterativeOptions,
  type IterativeResult,
  initialGuess,
  nrm2,
  type OperatorLike,
  type Preconditioner,
  preconditionerOf,
  residual,
  result,
  setup,
  tolerances,
} from "./as-operator.js";

/** @internal A checked square problem A x = b, ready for a solver's loop. */
export interface KrylovProblem {
  op: LinearOperator;
  b: Float64Array;
  n: number;
  tol: number;
  atol: number;
  maxIter: number;
  /** Raw x ↦ A x. */
  apply: (x: Float64Array) => Float64Array;
  /** Raw r ↦ M r (the identity without M). */
  prec: (r: Float64Array) => Float64Array;
  /** x₀ (a copy) or zeros; the solvers update it in place. */
  x: Float64Array;
}

const identity = (r: Float64Array): Float64Array => r;

/** @internal Checks A (square), b, the tolerances (maxIter default maxIterPerN·n), M and x0, in that order. */
export function krylovProblem(
  A: OperatorLike,
  b: TensorLike,
  options: IterativeOptions,
  fn: string,
  {
    symmetric,
    maxIterPerN = 10,
    M,
  }: { symmetric?: boolean; maxIterPerN?: number; M?: Preconditioner | undefined } = {},
): KrylovProblem {
  const s = setup(A, b, fn, symmetric === undefined ? {} : { symmetric });
  const n = s.n;
  const { tol, atol, maxIter } = tolerances(options, maxIterPerN * n, fn);
  const apply = applyOf(s.op);
  const prec = preconditionerOf(M, n, fn) ?? identity;
  const x = initialGuess(options.x0, n, fn);
  return { op: s.op, b: s.b, n, tol, atol, maxIter, apply, prec, x };
}

/**
 * @internal The stopping target max(tol·‖b‖₂, atol), r₀ = b − A x₀ and its norm (`norm`, default nrm2) as the first
 * history entry. `done` is set when no iteration is needed: b = 0 without x0 (x = 0 is exact) or ‖r₀‖ ≤ target.
 */
export function firstResidual(
  p: KrylovProblem,
  x0: TensorLike | undefined,
  norm: (r: Float64Array) => number = nrm2,
): { target: number; r: Float64Array; norms: number[]; done?: IterativeResult } {
  const bnorm = nrm2(p.b);
  if (bnorm === 0 && x0 === undefined) {
    return { target: 0, r: new Float64Array(p.n), norms: [0], done: result(p.x, true, 0, [0]) };
  }
  const target = Math.max(p.tol * bnorm, p.atol);
  const r = residual(p.apply, p.x, p.b);
  const norms = [norm(r)];
  if (norms[0]! <= target) return { target, r, norms, done: result(p.x, true, 0, norms) };
  return { target, r, norms };
}
