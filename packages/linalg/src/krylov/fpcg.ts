// Flexible preconditioned CG (FCG(1) with the Polak–Ribière β): Notay, "Flexible conjugate gradients",
// SIAM J. Sci. Comput. 22(4), 2000. The β formula ⟨z_k, r_k − r_{k−1}⟩/⟨z_{k−1}, r_{k−1}⟩ keeps the search
// directions locally A-conjugate when the preconditioner changes between iterations (inner solves, learned M).
import { ShapeError, type Tensor, type TensorLike, tensor } from "@x/tensor";
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

export interface FpcgOptions extends IterativeOptions {
  /** Preconditioner: a fixed operator, or a function (r, iteration) ↦ z that may change from call to call. */
  M?: Preconditioner | ((r: Tensor, iteration: number) => Tensor);
}

/**
 * Flexible PCG for SPD A and a possibly variable (even nonlinear) SPD-ish preconditioner. With a fixed
 * preconditioner it reproduces PCG's iterates (in exact arithmetic). Stops on ‖b − A x‖₂ ≤ max(tol·‖b‖₂, atol).
 */
export function fpcg(A: OperatorLike, b: TensorLike, options: FpcgOptions = {}): IterativeResult {
  const M = options.M;
  // A fixed M is checked with the other arguments; a function M also receives the iteration number.
  const prob = krylovProblem(A, b, options, "fpcg", {
    symmetric: true,
    ...(typeof M === "function" ? {} : { M }),
  });
  const { n, x, maxIter, apply } = prob;
  let k = 0;
  const prec: (r: Float64Array) => Float64Array =
    typeof M === "function"
      ? (r) => {
          const z = (M as (r: Tensor, it: number) => Tensor)(tensor(r, [n]), k);
          if (z.size !== n) throw new ShapeError(`fpcg: preconditioner M must return a vector of length ${n}`);
          return z.data;
        }
      : prob.prec;
  const { target, r, norms, done } = firstResidual(prob, options.x0);
  if (done) return done;
  let z = prec(r);
  let rz = dot(r, z);
  const p = Float64Array.from(z);
  const rOld = new Float64Array(n);
  for (k = 1; k <= maxIter; k++) {
    const q = apply(p);
    const pq = dot(p, q);
    if (!(pq > 0) || !Number.isFinite(pq)) {
      return result(
        x,
        false,
        k - 1,
        norms,
        `fpcg: breakdown at iteration ${k}, pᵀAp = ${pq} (A not positive definite?)`,
      );
    }
    // Exact line search along p (equals rᵀz/pᵀAp for a fixed preconditioner).
    const alpha = dot(p, r) / pq;
    rOld.set(r);
    axpy(alpha, p, x);
    axpy(-alpha, q, r);
    const rn = nrm2(r);
    norms.push(rn);
    report(options.callback, k, rn, x);
    if (rn <= target) return result(x, true, k, norms);
    z = prec(r);
    let num = 0;
    for (let i = 0; i < n; i++) num += z[i]! * (r[i]! - rOld[i]!);
    if (!(rz !== 0) || !Number.isFinite(num)) {
      return result(x, false, k, norms, `fpcg: breakdown at iteration ${k} (zᵀr = ${rz})`);
    }
    const beta = num / rz;
    rz = dot(r, z);
    for (let i = 0; i < n; i++) p[i] = z[i]! + beta * p[i]!;
  }
  return result(x, false, maxIter, norms);
}
