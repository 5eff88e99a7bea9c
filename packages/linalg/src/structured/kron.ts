// Kronecker product A ⊗ B (Van Loan, "The ubiquitous Kronecker product", J. Comput. Appl. Math. 123
// (2000)): (A ⊗ B)_{(i,k),(j,l)} = A_ij B_kl, built as one broadcast product so it is differentiable.
import { asTensor, mul, reshape, ShapeError, type Tensor, type TensorLike } from "@x/tensor";

/** Checks that `t` is a 2-D matrix, naming the function and argument in the ShapeError. */
export function asMatrix(x: TensorLike, fn: string, arg: string): Tensor {
  const t = asTensor(x, arg);
  if (t.rank !== 2) throw new ShapeError(`${fn}: ${arg} must be a matrix [m, n], got shape [${t.shape}]`);
  return t;
}

/** Dense Kronecker product of a [m, n] and b [p, q] → [m·p, n·q]. Differentiable. */
export function kron(a: TensorLike, b: TensorLike): Tensor {
  const A = asMatrix(a, "kron", "a");
  const B = asMatrix(b, "kron", "b");
  const [m, n] = A.shape as [number, number];
  const [p, q] = B.shape as [number, number];
  return reshape(mul(reshape(A, [m, 1, n, 1]), reshape(B, [1, p, 1, q])), [m * p, n * q]);
}
