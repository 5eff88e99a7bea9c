// Conjugate gradients for symmetric positive definite A: Hestenes & Stiefel, "Methods of conjugate
// gradients for solving linear systems", J. Res. NBS 49 (1952). Matrix-free: A is touched only through matvec.
import type { TensorLike } from "@x/tensor";
import {
  applyIntoOf,
  applyOf,
  dot,
  type IterativeOptions,
  type IterativeResult,
  initialGuess,
  nrm2,
  type OperatorLike,
  report,
  residual,
  result,
  setup,
  tolerances,
} from "./as-operator.js";

/**
 * Solves A x = b for SPD A. Stops when ‖b − A x‖₂ ≤ max(tol·‖b‖₂, atol) (recursively updated residual, as SciPy),
 * after maxIter (default 10·n) iterations, or on breakdown (pᵀAp ≤ 0: A is not positive definite).
 */
export function cg(A: OperatorLike, b: TensorLike, options: IterativeOptions = {}): IterativeResult {
  const s = setup(A, b, "cg", { symmetric: true });
  const n = s.n;
  const { tol, atol, maxIter } = tolerances(options, 10 * n, "cg");
  const apply = applyOf(s.op);
  const x = initialGuess(options.x0, n, "cg");
  const bnorm = nrm2(s.b);
  if (bnorm === 0 && options.x0 === undefined) return result(x, true, 0, [0]);
  const target = Math.max(tol * bnorm, atol);
  const r = residual(apply, x, s.b);
  let rr = dot(r, r);
  const norms = [Math.sqrt(rr)];
  if (norms[0]! <= target) return result(x, true, 0, norms);
  const p = Float64Array.from(r);
  const q = new Float64Array(n);
  const applyInto = applyIntoOf(s.op);
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
