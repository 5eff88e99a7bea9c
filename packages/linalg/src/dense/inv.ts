// Matrix inverse by LU with partial pivoting, solving a·X = I (Golub & Van Loan, §3.4).
// Derivative (Giles 2008): dX = −X·da·X, via customJvp whose rule calls inv itself (nests).
import { asTensor, customJvp, matmul, neg, type Tensor, type TensorLike } from "@x/tensor";
import { matInfo, out } from "./common.js";
import { getrs, luBatch } from "./lu.js";

function raw(a: Tensor): Tensor {
  const f = luBatch(a, "inv", "a", true);
  const { n } = f;
  const x = new Float64Array(f.lu.length);
  for (let bi = 0; bi < f.sign.length; bi++) {
    for (let i = 0; i < n; i++) x[bi * n * n + i * n + i] = 1;
    getrs(f.lu, bi * n * n, n, f.piv, bi * n, x, bi * n * n, n);
  }
  return out(x, a.shape);
}

/** Differentiable inverse without input validation (used inside derivative rules). */
export const invMat: (a: Tensor) => Tensor = customJvp(
  (a: Tensor) => raw(a),
  ([a], [da]) => {
    const x = invMat(a);
    return [x, neg(matmul(x, matmul(da, x)))];
  },
) as (a: Tensor) => Tensor;

/** Inverse of square a [..., n, n]; SingularMatrixError on an exactly zero pivot. Differentiable (nestable). */
export function inv(a: TensorLike): Tensor {
  const A = asTensor(a, "a");
  matInfo(A, "inv", "a", true);
  return invMat(A);
}
