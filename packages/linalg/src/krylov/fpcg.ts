// Flexible preconditioned CG (FCG(1) with the Polak–Ribière β): Notay, "Flexible conjugate gradients",
// SIAM J. Sci. Comput. 22(4), 2000. The β formula ⟨z_k, r_k − r_{k−1}⟩/⟨z_{k−1}, r_{k−1}⟩ keeps the search
// directions locally A-conjugate when the preconditioner changes between iterations (inner solves, learned M).
import { ShapeError, type Tensor, type TensorLike, tensor } from "@x/tensor";
import {
  applyOf,
  axpy,
  dot,
  type IterativeOptions,
  type IterativeResult,
  initialGuess,
  nrm2,
  type OperatorLike,
  type Preconditioner,
  preconditionerOf,
  report,
  residual,
  result,
  setup,
  tolerances,
} from "./as-operator.js";

export interface FpcgOptions extends IterativeOptions {
  /** Preconditioner: a fixed operator, or a function (r, iteration) ↦ z that may change from call to call. */
  M?: Preconditioner | ((r: Tensor, iteration: number) => Tensor);
}

/**
 * Flexible PCG for SPD A and a possibly variable (even nonlinear) SPD-ish preconditioner. With a fixed
 * preconditioner it reproduces PCG's iterates (in exact arithmetic). Stops on ‖b − A x‖₂ ≤ max(tol·‖b‖₂, atol).
 */
export function fpcg(A: OperatorLike, b: TensorLike, options: FpcgOptions = {}): IterativeResult {
  const s = setup(A, b, "fpcg", { symmetric: true });
  const n = s.n;
  const { tol, atol, maxIter } = tolerances(options, 10 * n, "fpcg");
  const apply = applyOf(s.op);
  const M = options.M;
  let k = 0;
  const prec: (r: Float64Array) => Float64Array =
    typeof M === "function"
      ? (r) => {
          const z = (M as (r: Tensor, it: number) => Tensor)(tensor(r, [n]), k);
          if (z.size !== n) throw new ShapeError(`fpcg: preconditioner M must return a vector of length ${n}`);
          return z.data;
        }
      : (preconditionerOf(M, n, "fpcg") ?? ((r) => r));
  const x = initialGuess(options.x0, n, "fpcg");
  const bnorm = nrm2(s.b);
  if (bnorm === 0 && options.x0 === undefined) return result(x, true, 0, [0]);
  const target = Math.max(tol * bnorm, atol);
  const r = residual(apply, x, s.b);
  const norms = [nrm2(r)];
  if (norms[0]! <= target) return result(x, true, 0, norms);
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
