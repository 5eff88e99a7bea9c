// The Jacobi (diagonal) preconditioner M = D⁻¹ (Saad, "Iterative Methods for Sparse Linear Systems", 2003, §10.2).
import { LinearOperator, tensor, ValueError } from "@x/tensor";
import { asOperator, type OperatorLike } from "./as-operator.js";
import { CsrMatrix } from "./csr.js";

/** M = diag(A)⁻¹ as a symmetric operator; A's diagonal must have no zeros. */
export function jacobi(A: OperatorLike): LinearOperator {
  const d = A instanceof CsrMatrix ? A.diagonalData() : Float64Array.from(asOperator(A, "jacobi: A").diag().data);
  const inv = new Float64Array(d.length);
  for (let i = 0; i < d.length; i++) {
    if (d[i] === 0 || !Number.isFinite(d[i]!)) {
      throw new ValueError(
        `jacobi: A has diagonal entry ${d[i]} at row ${i}; the Jacobi preconditioner needs a non-zero finite diagonal`,
      );
    }
    inv[i] = 1 / d[i]!;
  }
  return LinearOperator.diagonal(tensor(inv, [inv.length]));
}
