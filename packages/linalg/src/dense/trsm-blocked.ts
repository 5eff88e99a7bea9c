// Blocked triangular solve with many right-hand sides, left-looking (Golub & Van Loan, "Matrix Computations",
// 4th ed., §3.1.4 "block triangular systems"): each block row of X first takes the product of op(T) with the rows
// already solved, through @x/tensor's SIMD matmul, then a small substitution with its diagonal block.
import { gemmF64 } from "@x/tensor";
import { trsm } from "./solve-triangular.js";

const NB = 64;

/** Same contract as trsm (solve-triangular.ts): op(T)·X = B in place in b[bOff..] (n×k row-major). */
export function trsmBlocked(
  t: Float64Array,
  tOff: number,
  n: number,
  b: Float64Array,
  bOff: number,
  k: number,
  lower: boolean,
  trans: boolean,
  unit: boolean,
  nb = NB,
): void {
  const forward = lower !== trans;
  const blocks = Math.ceil(n / nb);
  const diag = new Float64Array(nb * nb);
  for (let q = 0; q < blocks; q++) {
    const bi = forward ? q : blocks - 1 - q;
    const i0 = bi * nb;
    const i1 = Math.min(n, i0 + nb);
    const h = i1 - i0;
    // Rows of X already solved: [0, i0) going forward, [i1, n) going backward.
    const d0 = forward ? 0 : i1;
    const d1 = forward ? i0 : n;
    const w = d1 - d0;
    if (w > 0) {
      // X[i0:i1] −= op(T)[i0:i1, d0:d1]·X[d0:d1] in place: op(T)'s block is read straight from t (as a
      // transposed view when trans), and the rows of X read and written are disjoint.
      gemmF64(t, b, h, w, k, b, {
        transA: trans,
        alpha: -1,
        beta: 1,
        aOffset: trans ? tOff + d0 * n + i0 : tOff + i0 * n + d0,
        lda: n,
        bOffset: bOff + d0 * k,
        ldb: k,
        outOffset: bOff + i0 * k,
        ldOut: k,
      });
    }
    // Diagonal block, copied contiguous (trsm reads only its triangle).
    for (let r = 0; r < h; r++) for (let c = 0; c < h; c++) diag[r * h + c] = t[tOff + (i0 + r) * n + i0 + c]!;
    trsm(diag, 0, h, b, bOff + i0 * k, k, lower, trans, unit);
  }
}
