// A ⊗ B as a matrix-free operator by the vec trick (Van Loan 2000): with x = vec_row(X), X [n, q],
//   (A ⊗ B) x = vec_row(A X Bᵀ)   and   (A ⊗ B)ᵀ y = vec_row(Aᵀ Y B),
// costing O(mnq + mpq) instead of O(mpnq) and never forming the product.
import { eye, LinearOperator, matmul, mT, mul, outer, reshape, sum, type Tensor, type TensorLike } from "@x/tensor";
import { asMatrix, kron } from "./kron.js";

const isSym = (t: Tensor): boolean => {
  const [m, n] = t.shape as [number, number];
  if (m !== n) return false;
  const d = t.data;
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) if (d[i * n + j] !== d[j * n + i]) return false;
  return true;
};

/** The Kronecker product A ⊗ B as a LinearOperator (matvec and rmatvec by the vec trick). */
export class KroneckerOperator extends LinearOperator {
  readonly a: Tensor;
  readonly b: Tensor;

  constructor(a: TensorLike, b: TensorLike) {
    const A = asMatrix(a, "KroneckerOperator", "a");
    const B = asMatrix(b, "KroneckerOperator", "b");
    const [m, n] = A.shape as [number, number];
    const [p, q] = B.shape as [number, number];
    super([m * p, n * q], (v) => reshape(matmul(matmul(A, reshape(v, [n, q])), mT(B)), [m * p]), {
      rmatvec: (v) => reshape(matmul(matmul(mT(A), reshape(v, [m, p])), B), [n * q]),
      toDense: () => kron(A, B),
      symmetric: isSym(A) && isSym(B),
      ...(m === n && p === q ? { diag: () => reshape(outer(diagOf(A), diagOf(B)), [m * p]) } : {}),
    });
    this.a = A;
    this.b = B;
  }
}

const diagOf = (t: Tensor): Tensor => sum(mul(t, eye(t.shape[0]!)), { axis: 1 });
