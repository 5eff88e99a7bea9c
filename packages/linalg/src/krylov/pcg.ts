// Preconditioned conjugate gradients: Hestenes & Stiefel (1952) with a fixed SPD preconditioner M ≈ A⁻¹,
// in the form of Saad, "Iterative Methods for Sparse Linear Systems" (2003), Algorithm 9.1.
import type { TensorLike } from "@x/tensor";
import {
  axpy,
  dot,
  type IterativeOptions,
  type IterativeResult,
  nrm2,
  type OperatorLike,
  type Preconditioner,
  report,
  result,
} from "./as-operator.js";
import { firstResidual, krylovProblem } from "./common.js";

export interface PcgOptions extends IterativeOptions {
  /** Preconditioner approximating A⁻¹ (SPD operator, dense matrix, CsrMatrix or r ↦ M r). Default: none. */
  M?: Preconditioner;
}

/**
 * Solves A x = b for SPD A with preconditioner M. Stops when the (unpreconditioned) residual
 * ‖b − A x‖₂ ≤ max(tol·‖b‖₂, atol), after maxIter (default 10·n) iterations, or on breakdown.
 */
export function pcg(A: OperatorLike, b: TensorLike, options: PcgOptions = {}): IterativeResult {
  const prob = krylovProblem(A, b, options, "pcg", { symmetric: true, M: options.M });
  const { n, x, maxIter, apply, prec } = prob;
  const { target, r, norms, done } = firstResidual(prob, options.x0);
  if (done) return done;
  let z = prec(r);
  let rz = dot(r, z);
  if (!(rz > 0)) return result(x, false, 0, norms, `pcg: rᵀMr = ${rz} ≤ 0 (M not positive definite?)`);
  const p = Float64Array.from(z);
  for (let k = 1; k <= maxIter; k++) {
    const q = apply(p);
    const pq = dot(p, q);
    if (!(pq > 0) || !Number.isFinite(pq)) {
      return result(
        x,
        false,
        k - 1,
        norms,
        `pcg: breakdown at iteration ${k}, pᵀAp = ${pq} (A not positive definite?)`,
      );
    }
    const alpha = rz / pq;
    axpy(alpha, p, x);
    axpy(-alpha, q, r);
    const rn = nrm2(r);
    norms.push(rn);
    report(options.callback, k, rn, x);
    if (rn <= target) return result(x, true, k, norms);
    z = prec(r);
    const rzNew = dot(r, z);
    if (!(rzNew > 0)) {
      return result(x, false, k, norms, `pcg: rᵀMr = ${rzNew} ≤ 0 at iteration ${k} (M not positive definite?)`);
    }
    const beta = rzNew / rz;
    rz = rzNew;
    for (let i = 0; i < n; i++) p[i] = z[i]! + beta * p[i]!;
  }
  return result(x, false, maxIter, norms);
}
