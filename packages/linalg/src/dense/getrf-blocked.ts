// Blocked right-looking LU with partial pivoting (Golub & Van Loan, "Matrix Computations", 4th ed., §3.2.11;
// LAPACK dgetrf): for each panel of NB columns, factor the tall panel (recursively, getrf-recursive.ts), solve
// U12 = L11⁻¹·A12, then update the trailing block A22 −= L21·U12 with the SIMD block GEMM, where ~all of the O(n³)
// work lies.
import { blockGemm, workArea } from "../internal/block-gemm.js";
import { getrfPanelRecursive, trsmUnitLower } from "./getrf-recursive.js";

// 128 measured ~7% faster than 64 at n = 1000 (equal at 500) on a quiet 16-core server, with leaves of 8 in the panels.
const NB = 128;

/**
 * Same contract as getrf (lu.ts): in-place P·A = L·U of the m×n row-major block a[off..], pivots in
 * piv[pOff..], returns the permutation sign and the index of the first exactly-zero pivot (−1 if none).
 * The work happens on a copy in the WebAssembly block-GEMM's memory when there is one (`wasm` false: in a,
 * through gemmF64, the reference path for tests).
 */
export function getrfBlocked(
  a: Float64Array,
  off: number,
  m: number,
  n: number,
  piv: Int32Array,
  pOff: number,
  nb = NB,
  wasm = true,
): { sign: number; info: number } {
  const w = wasm ? workArea(m * n) : null;
  if (w === null) return getrfBlockedInPlace(a, off, m, n, piv, pOff, nb);
  w.set(a.subarray(off, off + m * n));
  const r = getrfBlockedInPlace(w, 0, m, n, piv, pOff, nb);
  a.set(w, off);
  return r;
}

function getrfBlockedInPlace(
  a: Float64Array,
  off: number,
  m: number,
  n: number,
  piv: Int32Array,
  pOff: number,
  nb: number,
): { sign: number; info: number } {
  let sign = 1;
  let info = -1;
  const kmax = Math.min(m, n);
  for (let k0 = 0; k0 < kmax; k0 += nb) {
    const k1 = Math.min(kmax, k0 + nb);
    // Panel: unblocked LU of columns k0..k1 over rows k0..m (updates stop at column k1).
    const panel = getrfPanelRecursive(a, off, m, n, k0, k1, piv, pOff);
    sign *= panel.sign;
    if (info < 0) info = panel.info;
    if (k1 >= n) continue;
    const w = n - k1;
    // U12 = L11⁻¹·A12 (unit lower; recursive, GEMM-based substitution).
    trsmUnitLower(a, off, n, k0, k1 - k0, k1, w);
    const h = m - k1;
    if (h === 0) continue;
    const b = k1 - k0;
    // A22 −= L21·U12 in place (the three blocks of a are disjoint): no packed copies, no temporary product.
    blockGemm(a, h, b, w, {
      alpha: -1,
      aOffset: off + k1 * n + k0,
      lda: n,
      bOffset: off + k0 * n + k1,
      ldb: n,
      outOffset: off + k1 * n + k1,
      ldOut: n,
    });
  }
  return { sign, info };
}
