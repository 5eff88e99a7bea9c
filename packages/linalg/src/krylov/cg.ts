// Conjugate gradients for symmetric positive definite A: Hestenes & Stiefel, "Methods of conjugate
// gradients for solving linear systems", J. Res. NBS 49 (1952). Matrix-free: A is touched only through matvec.
import type { TensorLike } from "@x/tensor";
import {
  applyIntoOf,
  dot,
  type IterativeOptions,
  type IterativeResult,
  type OperatorLike,
  report,
  result,
} from "./as-operator.js";
import { firstResidual, krylovProblem } from "./common.js";

/**
 * Solves A x = b for SPD A. Stops when ‖b − A x‖₂ ≤ max(tol·‖b‖₂, atol) (recursively updated residual, as SciPy),
 * after maxIter (default 10·n) iterations, or on breakdown (pᵀAp ≤ 0: A is not positive definite).
 */
export function cg(A: OperatorLike, b: TensorLike, options: IterativeOptions = {}): IterativeResult {
  const prob = krylovProblem(A, b, options, "cg", { symmetric: true });
  const { n, x, maxIter } = prob;
  // ‖r‖ as √(rᵀr): the same rr the recurrence carries.
  const { target, r, norms, done } = firstResidual(prob, options.x0, (v) => Math.sqrt(dot(v, v)));
  if (done) return done;
  let rr = dot(r, r);
  const p = Float64Array.from(r);
  const q = new Float64Array(n);
  const applyInto = applyIntoOf(prob.op);
  for (let k = 1; k <= maxIter; k++) {
    applyInto(p, q);
    const pq = dot(p, q);
    // pᵀAp ≤ 0 (or NaN) means A is not SPD: a CG step would not decrease the energy norm.
    if (!(pq > 0) || !Number.isFinite(pq)) {
      return result(x, false, k - 1, norms, `cg: breakdown at iteration ${k}, pᵀAp = ${pq} (A not positive definite?)`);
    }
    const alpha = rr / pq;
    // Fused x += α p, r −= α q, ‖r‖²: one pass over the vectors instead of three.
    let rrNew = 0;
    for (let i = 0; i < n; i++) {
      x[i]! += alpha * p[i]!;
      const ri = r[i]! - alpha * q[i]!;
      r[i] = ri;
      rrNew += ri * ri;
    }
    const rn = Math.sqrt(rrNew);
    norms.push(rn);
    report(options.callback, k, rn, x);
    if (rn <= target) return result(x, true, k, norms);
    const beta = rrNew / rr;
    rr = rrNew;
    for (let i = 0; i < n; i++) p[i] = r[i]! + beta * p[i]!;
  }
  return result(x, false, maxIter, norms);
}
