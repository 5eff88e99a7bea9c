// log det of a symmetric positive definite matrix from its Cholesky factor: log det a = 2 Σ log l_ii
// (Golub & Van Loan, §4.2). Derivative (Giles 2008): d logdet = tr(a⁻¹·sym(da)); as in
// cholesky the input is symmetrized, so the gradient is the symmetric a⁻¹. customJvp whose rule calls
// logdet and the differentiable inv, so it nests (exact HVPs).
import { asTensor, customJvp, type Tensor, type TensorLike } from "@x/tensor";
import { NotPositiveDefiniteError } from "../errors.js";
import { potrf } from "./cholesky.js";
import { matInfo, out, sym, traceProd } from "./common.js";
import { invMat } from "./inv.js";

function raw(a: Tensor): Tensor {
  const n = a.shape[a.rank - 1]!;
  const batch = a.shape.slice(0, -2);
  const count = a.size / Math.max(1, n * n);
  const ad = a.data;
  const l = new Float64Array(n * n);
  const res = new Float64Array(count);
  for (let b = 0; b < count; b++) {
    const r = potrf(ad.subarray(b * n * n, (b + 1) * n * n), l, 0, n);
    if (r.pivot >= 0) throw new NotPositiveDefiniteError("a", r.pivot, r.value, b);
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.log(l[i * n + i]!);
    res[b] = 2 * s;
  }
  return out(res, batch);
}

const logdetMat: (a: Tensor) => Tensor = customJvp(
  (a: Tensor) => raw(a),
  ([a], [da]) => [logdetMat(a), traceProd(invMat(sym(a)), sym(da))],
) as (a: Tensor) => Tensor;

/**
 * log det a for symmetric positive definite a [..., n, n] → [...], via Cholesky of (a + aᵀ)/2.
 * Throws NotPositiveDefiniteError (with the failing pivot) otherwise. Differentiable (nestable).
 */
export function logdet(a: TensorLike): Tensor {
  const A = asTensor(a, "a");
  matInfo(A, "logdet", "a", true);
  return logdetMat(A);
}
