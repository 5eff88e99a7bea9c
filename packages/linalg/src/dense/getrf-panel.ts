// The column-by-column kernel of LU with partial pivoting (Golub & Van Loan, "Matrix Computations", 4th ed.,
// Alg. 3.4.1), shared by the unblocked getrf (one panel spanning every column) and the panels of the blocked one.

/**
 * Factors columns k0..k1 of the m×n row-major block a[off..] in place: picks the largest pivot below the
 * diagonal, swaps whole rows (all n columns, so finished L columns and the trailing block follow), stores
 * the multipliers and updates columns k+1..jEnd of the rows below. Pivots go to piv[pOff + k]. Returns the
 * sign of the interchanges and the first exactly-zero pivot in the range (−1 if none).
 */
export function getrfPanel(
  a: Float64Array,
  off: number,
  m: number,
  n: number,
  k0: number,
  k1: number,
  jEnd: number,
  piv: Int32Array,
  pOff: number,
): { sign: number; info: number } {
  let sign = 1;
  let info = -1;
  // Pivot row of column k when the previous column's update already found it (−1: search here).
  let next = -1;
  for (let k = k0; k < k1; k++) {
    // Largest |a_ik| below the diagonal bounds the multipliers by 1 (backward stability in practice); on ties
    // the first such row.
    let p = next;
    if (p < 0) {
      p = k;
      let best = Math.abs(a[off + k * n + k]!);
      for (let i = k + 1; i < m; i++) {
        const v = Math.abs(a[off + i * n + k]!);
        if (v > best) {
          best = v;
          p = i;
        }
      }
    }
    next = -1;
    piv[pOff + k] = p;
    if (p !== k) {
      sign = -sign;
      const rk = off + k * n;
      const rp = off + p * n;
      for (let j = 0; j < n; j++) {
        const t = a[rk + j]!;
        a[rk + j] = a[rp + j]!;
        a[rp + j] = t;
      }
    }
    const akk = a[off + k * n + k]!;
    if (akk === 0) {
      if (info < 0) info = k;
      continue;
    }
    const rk = off + k * n;
    // The search for the next pivot rides along with the update, which just wrote column k + 1 of each row: one
    // pass down the (strided) rows per column instead of two. Same choice as a separate search.
    const c = k + 1;
    const track = c < k1;
    let best = 0;
    for (let i = k + 1; i < m; i++) {
      const ri = off + i * n;
      const l = a[ri + k]! / akk;
      a[ri + k] = l;
      if (l !== 0) for (let j = k + 1; j < jEnd; j++) a[ri + j]! -= l * a[rk + j]!;
      if (track) {
        const v = Math.abs(a[ri + c]!);
        if (i === c || v > best) {
          best = v;
          next = i;
        }
      }
    }
  }
  return { sign, info };
}
