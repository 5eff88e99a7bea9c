// Solve (A ⊗ B + σI) x = c for symmetric A [n, n], B [p, p] through their eigendecompositions
// (Saatçi 2012, "Scalable inference for structured Gaussian process models", §5; Van Loan 2000):
// A ⊗ B = (Q_A ⊗ Q_B)(Λ_A ⊗ Λ_B)(Q_A ⊗ Q_B)ᵀ, so with C = mat_row(c),
//   X = Q_A [(Q_Aᵀ C Q_B) ⊘ (λ_A λ_Bᵀ + σ)] Q_Bᵀ,   O(n³ + p³ + np(n + p)) instead of O(n³p³).
import {
  add,
  asTensor,
  div,
  matmul,
  mT,
  outer,
  reshape,
  ShapeError,
  type Tensor,
  type TensorLike,
  ValueError,
} from "@x/tensor";
import { eigh } from "../dense/eigh.js";
import { asMatrix } from "./kron.js";

export interface KronSolveOptions {
  /** σ in (A ⊗ B + σI) x = c (e.g. a Gaussian-process noise variance). Default 0. */
  shift?: number;
}

/**
 * x = (A ⊗ B + σI)⁻¹ c for symmetric a [n, n], b [p, p] and c [n·p] (or [n·p, k]).
 * Differentiable through eigh (distinct eigenvalues).
 */
export function kronSolve(a: TensorLike, b: TensorLike, c: TensorLike, options: KronSolveOptions = {}): Tensor {
  const { shift = 0 } = options;
  if (!Number.isFinite(shift)) throw new ValueError(`kronSolve: options.shift must be finite, got ${shift}`);
  const A = asMatrix(a, "kronSolve", "a");
  const B = asMatrix(b, "kronSolve", "b");
  const C = asTensor(c, "c");
  const n = A.shape[0]!;
  const p = B.shape[0]!;
  if (A.shape[1] !== n) throw new ShapeError(`kronSolve: a must be square, got shape [${A.shape}]`);
  if (B.shape[1] !== p) throw new ShapeError(`kronSolve: b must be square, got shape [${B.shape}]`);
  if (!((C.rank === 1 || C.rank === 2) && C.shape[0] === n * p)) {
    throw new ShapeError(`kronSolve: c must have shape [${n * p}] or [${n * p}, k], got [${C.shape}]`);
  }
  const ea = eigh(A);
  const eb = eigh(B);
  const denom = add(outer(ea.values, eb.values), shift);
  const dd = denom.data;
  let big = 0;
  for (const v of dd) big = Math.max(big, Math.abs(v));
  for (let i = 0; i < dd.length; i++) {
    if (!(Math.abs(dd[i]!) > 1e-14 * big)) {
      throw new ValueError(`kronSolve: a ⊗ b + shift·I is singular (eigenvalue product ${dd[i]} at index ${i})`);
    }
  }
  const qa = ea.vectors;
  const qb = eb.vectors;
  const one = (col: Tensor): Tensor => {
    const X = reshape(col, [n, p]);
    const Y = div(matmul(mT(qa), matmul(X, qb)), denom);
    return reshape(matmul(qa, matmul(Y, mT(qb))), [n * p]);
  };
  if (C.rank === 1) return one(C);
  // Several right-hand sides: the same transform with a batch axis in front.
  const k = C.shape[1]!;
  const Xb = reshape(mT(C), [k, n, p]);
  const Yb = div(matmul(mT(qa), matmul(Xb, qb)), denom);
  return mT(reshape(matmul(qa, matmul(Yb, mT(qb))), [k, n * p]));
}
