// Condition number κ_p(A) = ‖A‖_p·‖A⁻¹‖_p (Golub & Van Loan, §2.6): for p = ±2 the ratio of extreme
// singular values (any m×n), otherwise through the explicit inverse (square, as numpy.linalg.cond).
import { asTensor, div, isnan, max, min, mul, type Tensor, type TensorLike, ValueError, where } from "@x/tensor";
import { matInfo } from "./common.js";
import { inv } from "./inv.js";
import { type MatrixNormOrd, matrixNorm } from "./matrix-norm.js";
import { svdvals } from "./svd.js";

/**
 * Condition number of a (batch of) matrix [..., m, n] → [...] in the norm p (default 2). p = ±2 use
 * the singular values (Infinity for a singular matrix); 'fro', 'nuc', ±1, ±∞ need square invertible a.
 */
export function cond(a: TensorLike, p: MatrixNormOrd = 2): Tensor {
  const A = asTensor(a, "a");
  const { m, n } = matInfo(A, "cond", "a");
  if (p === 2 || p === -2) {
    const s = svdvals(A);
    const hi = max(s, { axis: -1 });
    const lo = min(s, { axis: -1 });
    // An all-zero matrix gives 0/0: Infinity, as numpy.linalg.cond (NaN input is rejected by svdvals).
    const r = p === 2 ? div(hi, lo) : div(lo, hi);
    return where(isnan(r), Number.POSITIVE_INFINITY, r);
  }
  if (m !== n) throw new ValueError(`cond: a must be square for p = ${String(p)}, got shape [${A.shape}]`);
  return mul(matrixNorm(A, p), matrixNorm(inv(A), p));
}
