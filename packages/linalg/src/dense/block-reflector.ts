// Products of Householder reflectors applied in blocks (compact WY representation: Schreiber & Van Loan 1989,
// "A storage-efficient WY representation for products of Householder transformations"; LAPACK dlarft +
// dlarfb): H_k0⋯H_k1−1 = I − V·T·Vᵀ with T upper triangular, so each block costs three matrix products
// (Vᵀ·Z, T·(·), V·(·)) instead of k1 − k0 scalar rank-one updates.
import { gemmF64 } from "@x/tensor";

const NB = 32;

/**
 * Z ← H_0·H_1⋯H_{count−1}·Z in place, H_k = I − τ_k·v_k·v_kᵀ, for z (len × cols, row-major). Row k of
 * `vrows` (count × len) holds v_k in full, zero before index k + shift (where v_k has its 1); blocks are
 * applied from the last, each touching only rows from its first reflector's start.
 */
export function applyReflectors(
  vrows: Float64Array,
  len: number,
  tau: Float64Array,
  count: number,
  shift: number,
  z: Float64Array,
  cols: number,
  nb = NB,
): void {
  nb = Math.max(1, nb);
  const blocks = Math.ceil(count / nb);
  const g = new Float64Array(nb);
  for (let q = blocks - 1; q >= 0; q--) {
    const k0 = q * nb;
    const kb = Math.min(nb, count - k0);
    const r0 = k0 + shift;
    const m = len - r0;
    if (m <= 0) continue;
    const Vt = new Float64Array(kb * m);
    for (let t = 0; t < kb; t++) Vt.set(vrows.subarray((k0 + t) * len + r0, (k0 + t + 1) * len), t * m);
    // T_tt = τ_t, T[0:t, t] = −τ_t·T[0:t, 0:t]·(V[:, 0:t]ᵀ·v_t) (dlarft, forward, columnwise).
    const T = new Float64Array(kb * kb);
    for (let t = 0; t < kb; t++) {
      const tt = tau[k0 + t]!;
      T[t * kb + t] = tt;
      if (tt === 0) continue;
      for (let s = 0; s < t; s++) {
        let sum = 0;
        for (let i = t; i < m; i++) sum += Vt[s * m + i]! * Vt[t * m + i]!;
        g[s] = sum;
      }
      for (let s = 0; s < t; s++) {
        let sum = 0;
        for (let r = s; r < t; r++) sum += T[s * kb + r]! * g[r]!;
        T[s * kb + t] = -tt * sum;
      }
    }
    const zs = z.subarray(r0 * cols, len * cols);
    const Y = gemmF64(Vt, zs, kb, m, cols);
    const TY = gemmF64(T, Y, kb, kb, cols);
    // zs −= V·TY in place, V read as Vtᵀ.
    gemmF64(Vt, TY, m, kb, cols, zs, { transA: true, alpha: -1, beta: 1 });
  }
}
