// The trailing update of the blocked two-sided reductions (gebrd-blocked.ts: A −= U·Yᵀ + X·Vᵀ; sytrd-blocked.ts:
// A −= V·Wᵀ + W·Vᵀ): kb pairs of panel vectors, stored one per row, applied to the trailing block as one matrix
// product [P₁ᵀ P₂ᵀ]·[Q₁; Q₂] with inner dimension 2·kb (Dongarra, Sorensen & Hammarling 1989).
import { gemmF64 } from "@x/tensor";

/** A panel: vector j is v[off + j·ld + i] for the block's rows (P) or columns (Q) i. */
export interface Panel {
  v: Float64Array;
  off: number;
  ld: number;
}

/** a[aOff + r·lda + c] −= Σ_j P₁_j[r]·Q₁_j[c] + P₂_j[r]·Q₂_j[c] for r < mt, c < nt, j < kb. */
export function panelUpdate(
  a: Float64Array,
  aOff: number,
  lda: number,
  mt: number,
  nt: number,
  kb: number,
  p1: Panel,
  p2: Panel,
  q1: Panel,
  q2: Panel,
): void {
  if (mt <= 0 || nt <= 0 || kb <= 0) return;
  const k2 = 2 * kb;
  const L = new Float64Array(mt * k2);
  const R = new Float64Array(k2 * nt);
  for (let j = 0; j < kb; j++) {
    const a1 = q1.off + j * q1.ld;
    const a2 = q2.off + j * q2.ld;
    R.set(q1.v.subarray(a1, a1 + nt), j * nt);
    R.set(q2.v.subarray(a2, a2 + nt), (kb + j) * nt);
    const b1 = p1.off + j * p1.ld;
    const b2 = p2.off + j * p2.ld;
    for (let r = 0; r < mt; r++) {
      L[r * k2 + j] = p1.v[b1 + r]!;
      L[r * k2 + kb + j] = p2.v[b2 + r]!;
    }
  }
  gemmF64(L, R, mt, k2, nt, a, { alpha: -1, beta: 1, outOffset: aOff, ldOut: lda });
}
