// Nearest Kronecker product (Van Loan & Pitsianis, "Approximation with Kronecker products", 1993):
// min ‖A − B ⊗ C‖_F over B [m, n], C [p, q] equals the best rank-one approximation of the
// rearrangement R(A) [m·n, p·q] whose row (i, j) is vec_row of block A_ij [p, q]; so
// vec(B) = √σ₁ u₁, vec(C) = √σ₁ v₁ from the leading singular triplet of R(A).
import { mul, reshape, ShapeError, slice, type Tensor, type TensorLike, transpose } from "@x/tensor";
import { svd } from "../dense/svd.js";
import { asMatrix } from "./kron.js";

export interface NearestKroneckerResult {
  /** B [m, n]. */
  b: Tensor;
  /** C [p, q]. */
  c: Tensor;
  /** ‖A − B ⊗ C‖_F = sqrt(Σ_{i>1} σ_i(R(A))²). */
  residual: number;
}

/** The B [m, n], C [p, q] minimising ‖a − B ⊗ C‖_F for a [m·p, n·q]. */
export function nearestKronecker(
  a: TensorLike,
  bShape: readonly [number, number],
  cShape: readonly [number, number],
): NearestKroneckerResult {
  const A = asMatrix(a, "nearestKronecker", "a");
  const [m, n] = bShape;
  const [p, q] = cShape;
  if (![m, n, p, q].every((d) => Number.isInteger(d) && d >= 1) || A.shape[0] !== m * p || A.shape[1] !== n * q) {
    throw new ShapeError(
      `nearestKronecker: a must be [${m}·${p}, ${n}·${q}] for B [${bShape}] and C [${cShape}], got [${A.shape}]`,
    );
  }
  const R = reshape(transpose(reshape(A, [m, p, n, q]), [0, 2, 1, 3]), [m * n, p * q]);
  const { u, s, vt } = svd(R);
  const s1 = s.data[0]!;
  let tail = 0;
  for (let i = 1; i < s.size; i++) tail += s.data[i]! ** 2;
  const root = Math.sqrt(s1);
  return {
    b: reshape(mul(slice(u, [null, [0, 1]]), root), [m, n]),
    c: reshape(mul(slice(vt, [[0, 1]]), root), [p, q]),
    residual: Math.sqrt(tail),
  };
}
