// Incomplete Cholesky with zero fill-in, IC(0): Meijerink & van der Vorst, "An iterative solution method for
// linear systems of which the coefficient matrix is a symmetric M-matrix", Math. Comp. 31 (1977).
// L keeps exactly the sparsity pattern of tril(A); the preconditioner applies (L Lᵀ)⁻¹ by two triangular solves.
import { LinearOperator, ShapeError, tensor, ValueError } from "@x/tensor";
import { asCsr, type OperatorLike } from "./as-operator.js";
import { CsrMatrix } from "./csr.js";

/**
 * The IC(0) factor L (lower triangular, pattern of tril(A), L Lᵀ ≈ A) of a symmetric matrix;
 * throws ValueError on a pivot ≤ 0.
 */
export function ic0Factor(A: OperatorLike): CsrMatrix {
  const a = asCsr(A, "ic0");
  const [m, n] = a.shape;
  if (m !== n) throw new ShapeError(`ic0: A must be square, got shape [${m}, ${n}]`);
  if (!a.isSymmetric(1e-12)) throw new ValueError("ic0: A must be symmetric");
  // Lower-triangular pattern with the diagonal stored last in each row (inserted if absent).
  const lp = new Int32Array(n + 1);
  const li: number[] = [];
  const lv: number[] = [];
  const diagPos = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let aii = 0;
    for (let k = a.indptr[i]!; k < a.indptr[i + 1]!; k++) {
      const j = a.indices[k]!;
      if (j < i) {
        li.push(j);
        lv.push(a.values[k]!);
      } else if (j === i) aii = a.values[k]!;
    }
    diagPos[i] = li.length;
    li.push(i);
    lv.push(aii);
    lp[i + 1] = li.length;
  }
  const idx = Int32Array.from(li);
  const val = Float64Array.from(lv);
  for (let i = 0; i < n; i++) {
    const start = lp[i]!;
    const di = diagPos[i]!;
    for (let p = start; p < di; p++) {
      const k = idx[p]!;
      // l_ik = (a_ik − Σ_{j<k} l_ij l_kj) / l_kk, the sum over the common pattern of rows i and k (sorted merge).
      let s = val[p]!;
      let q = lp[k]!;
      const qe = diagPos[k]!;
      let t = start;
      while (t < p && q < qe) {
        const jt = idx[t]!;
        const jq = idx[q]!;
        if (jt === jq) s -= val[t++]! * val[q++]!;
        else if (jt < jq) t++;
        else q++;
      }
      val[p] = s / val[diagPos[k]!]!;
    }
    let d = val[di]!;
    for (let p = start; p < di; p++) d -= val[p]! * val[p]!;
    if (!(d > 0)) {
      throw new ValueError(
        `ic0: pivot ${d} ≤ 0 at row ${i}: A is not positive definite (or IC(0) breaks down on it; try a diagonal shift)`,
      );
    }
    val[di] = Math.sqrt(d);
  }
  return new CsrMatrix(lp, idx, val, [n, n]);
}

/** (L Lᵀ)⁻¹ as a symmetric operator, L = ic0Factor(A); throws ValueError on a pivot ≤ 0. */
export function ic0(A: OperatorLike): LinearOperator {
  const L = ic0Factor(A);
  const n = L.shape[0];
  const { indptr: lp, indices: idx, values: val } = L;
  // Rows of L are sorted, so the diagonal is each row's last entry.
  const diagPos = new Int32Array(n);
  for (let i = 0; i < n; i++) diagPos[i] = lp[i + 1]! - 1;
  return new LinearOperator(
    [n, n],
    (v) => {
      const z = Float64Array.from(v.data);
      // Forward solve L y = r (row-oriented).
      for (let i = 0; i < n; i++) {
        let s = z[i]!;
        const di = diagPos[i]!;
        for (let p = lp[i]!; p < di; p++) s -= val[p]! * z[idx[p]!]!;
        z[i] = s / val[di]!;
      }
      // Backward solve Lᵀ z = y (column-oriented on the rows of L, so no transpose is stored).
      for (let i = n - 1; i >= 0; i--) {
        const di = diagPos[i]!;
        const zi = z[i]! / val[di]!;
        z[i] = zi;
        for (let p = lp[i]!; p < di; p++) z[idx[p]!]! -= val[p]! * zi;
      }
      return tensor(z, [n]);
    },
    { symmetric: true },
  );
}
