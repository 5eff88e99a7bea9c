// Incomplete LU with zero fill-in, ILU(0): Saad, "Iterative Methods for Sparse Linear Systems" (2nd ed., SIAM 2003),
// Algorithm 10.4 (IKJ variant). L (unit lower) and U keep exactly A's sparsity pattern; the preconditioner applies
// (L U)⁻¹ by two triangular solves. For nonsymmetric sparse systems, typically with gmres.
import { LinearOperator, ShapeError, tensor, ValueError } from "@x/tensor";
import { asCsr, type OperatorLike } from "./as-operator.js";

/** (L U)⁻¹ as an operator, L U the ILU(0) factorisation of square A; throws ValueError on a zero or missing pivot. */
export function ilu0(A: OperatorLike): LinearOperator {
  const a = asCsr(A, "ilu0");
  const [m, n] = a.shape;
  if (m !== n) throw new ShapeError(`ilu0: A must be square, got shape [${m}, ${n}]`);
  const { indptr, indices } = a;
  const val = Float64Array.from(a.values);
  const diagPos = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    for (let k = indptr[i]!; k < indptr[i + 1]!; k++) if (indices[k] === i) diagPos[i] = k;
    if (diagPos[i]! < 0) throw new ValueError(`ilu0: A has no stored diagonal entry in row ${i} (zero pivot)`);
  }
  // iw[j] = position of column j in the current row, −1 if absent: O(1) pattern lookups.
  const iw = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const s = indptr[i]!;
    const e = indptr[i + 1]!;
    for (let p = s; p < e; p++) iw[indices[p]!] = p;
    for (let p = s; p < e; p++) {
      const k = indices[p]!;
      if (k >= i) break;
      const piv = val[diagPos[k]!]!;
      const lik = val[p]! / piv;
      val[p] = lik;
      // Row i −= l_ik · (row k of U), restricted to row i's pattern (zero fill).
      for (let q = diagPos[k]! + 1; q < indptr[k + 1]!; q++) {
        const t = iw[indices[q]!]!;
        if (t >= 0) val[t]! -= lik * val[q]!;
      }
    }
    for (let p = s; p < e; p++) iw[indices[p]!] = -1;
    const d = val[diagPos[i]!]!;
    if (d === 0 || !Number.isFinite(d)) throw new ValueError(`ilu0: pivot ${d} at row ${i}; ILU(0) breaks down on A`);
  }
  return new LinearOperator([n, n], (v) => {
    const z = Float64Array.from(v.data);
    // L y = r with unit diagonal.
    for (let i = 0; i < n; i++) {
      let t = z[i]!;
      for (let p = indptr[i]!; p < diagPos[i]!; p++) t -= val[p]! * z[indices[p]!]!;
      z[i] = t;
    }
    // U z = y.
    for (let i = n - 1; i >= 0; i--) {
      let t = z[i]!;
      const dp = diagPos[i]!;
      for (let p = dp + 1; p < indptr[i + 1]!; p++) t -= val[p]! * z[indices[p]!]!;
      z[i] = t / val[dp]!;
    }
    return tensor(z, [n]);
  });
}
