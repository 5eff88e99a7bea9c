// Blocked right-looking LU with partial pivoting (Golub & Van Loan, "Matrix Computations", 4th ed., §3.2.11;
// LAPACK dgetrf): for each panel of NB columns, factor the tall panel unblocked, solve U12 = L11⁻¹·A12, then
// update the trailing block A22 −= L21·U12 with @x/tensor's SIMD matmul, where ~all of the O(n³) work lies.
import { gemmF64 } from "@x/tensor";
import { getrfPanel } from "./getrf-panel.js";

const NB = 64;

/**
 * Same contract as getrf (lu.ts): in-place P·A = L·U of the m×n row-major block a[off..], pivots in
 * piv[pOff..], returns the permutation sign and the index of the first exactly-zero pivot (−1 if none).
 */
export function getrfBlocked(
  a: Float64Array,
  off: number,
  m: number,
  n: number,
  piv: Int32Array,
  pOff: number,
  nb = NB,
): { sign: number; info: number } {
  let sign = 1;
  let info = -1;
  const kmax = Math.min(m, n);
  for (let k0 = 0; k0 < kmax; k0 += nb) {
    const k1 = Math.min(kmax, k0 + nb);
    // Panel: unblocked LU of columns k0..k1 over rows k0..m (updates stop at column k1).
    const panel = getrfPanel(a, off, m, n, k0, k1, k1, piv, pOff);
    sign *= panel.sign;
    if (info < 0) info = panel.info;
    if (k1 >= n) continue;
    const w = n - k1;
    // U12 = L11⁻¹·A12 (unit lower, forward substitution along contiguous rows).
    for (let i = k0 + 1; i < k1; i++) {
      const ri = off + i * n;
      for (let r = k0; r < i; r++) {
        const l = a[ri + r]!;
        if (l === 0) continue;
        const rr = off + r * n;
        for (let j = k1; j < n; j++) a[ri + j]! -= l * a[rr + j]!;
      }
    }
    const h = m - k1;
    if (h === 0) continue;
    const b = k1 - k0;
    // A22 −= L21·U12, both packed contiguous for the matmul kernel.
    const l21 = new Float64Array(h * b);
    for (let i = 0; i < h; i++) {
      const ri = off + (k1 + i) * n + k0;
      for (let t = 0; t < b; t++) l21[i * b + t] = a[ri + t]!;
    }
    const u12 = new Float64Array(b * w);
    for (let t = 0; t < b; t++) {
      const rt = off + (k0 + t) * n + k1;
      for (let j = 0; j < w; j++) u12[t * w + j] = a[rt + j]!;
    }
    const c = gemmF64(l21, u12, h, b, w);
    for (let i = 0; i < h; i++) {
      const ri = off + (k1 + i) * n + k1;
      const ci = i * w;
      for (let j = 0; j < w; j++) a[ri + j]! -= c[ci + j]!;
    }
  }
  return { sign, info };
}
