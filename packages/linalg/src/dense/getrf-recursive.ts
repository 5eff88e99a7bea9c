// Recursive LU with partial pivoting of a tall panel (Toledo, "Locality of reference in LU decomposition with
// partial pivoting", SIAM J. Matrix Anal. Appl. 18(4), 1997; Gustavson 1997): factor the left half of the columns,
// solve for the top of the right half, update the rest of the right half with one GEMM, factor it. Every level but
// the narrow leaves runs in the SIMD block GEMM, in place; the blocked getrf uses it for its panels, whose
// column-by-column factorization (memory-bound, scalar) otherwise dominates at n ≈ 500–1000.
import { blockGemm } from "../internal/block-gemm.js";
import { getrfPanel } from "./getrf-panel.js";

/** Column count at or below which a panel is factored column by column. */
const LEAF = 8;

/** Where to halve w ≥ 2 columns: at a multiple of 4 (the GEMM tile) when that leaves both halves non-empty. */
function split(w: number): number {
  const r = ((w >> 1) + 3) & ~3;
  return r < w ? r : w >> 1;
}

/**
 * Same contract as getrfPanel with jEnd = k1: factors columns k0..k1 over rows k0..m of the m×n row-major block
 * a[off..] in place, swapping whole rows; columns ≥ k1 are only permuted. Returns the sign of the interchanges and
 * the first exactly-zero pivot (−1 if none).
 */
export function getrfPanelRecursive(
  a: Float64Array,
  off: number,
  m: number,
  n: number,
  k0: number,
  k1: number,
  piv: Int32Array,
  pOff: number,
  leaf = LEAF,
): { sign: number; info: number } {
  if (k1 - k0 <= leaf) return getrfPanel(a, off, m, n, k0, k1, k1, piv, pOff);
  const km = k0 + split(k1 - k0);
  const left = getrfPanelRecursive(a, off, m, n, k0, km, piv, pOff, leaf);
  // The left half's row swaps already moved whole rows, right half included.
  trsmUnitLower(a, off, n, k0, km - k0, km, k1 - km, leaf);
  if (m > km) {
    // A[km:m, km:k1] −= L[km:m, k0:km]·U[k0:km, km:k1] in place (disjoint blocks of a).
    blockGemm(a, m - km, km - k0, k1 - km, {
      alpha: -1,
      aOffset: off + km * n + k0,
      lda: n,
      bOffset: off + k0 * n + km,
      ldb: n,
      outOffset: off + km * n + km,
      ldOut: n,
    });
  }
  const right = getrfPanelRecursive(a, off, m, n, km, k1, piv, pOff, leaf);
  return { sign: left.sign * right.sign, info: left.info >= 0 ? left.info : right.info };
}

/**
 * B ← L⁻¹·B in place for the unit lower triangle L = a[d0:d0+h, d0:d0+h] and B = a[d0:d0+h, c0:c0+w] (row stride
 * ld), recursively by rows: X1 = L11⁻¹·B1, B2 −= L21·X1 (GEMM), X2 = L22⁻¹·B2. Substitution (not an explicit
 * inverse) keeps the backward stability of the usual triangular solve.
 */
export function trsmUnitLower(
  a: Float64Array,
  off: number,
  ld: number,
  d0: number,
  h: number,
  c0: number,
  w: number,
  leaf = LEAF,
): void {
  if (w === 0 || h <= 1) return;
  if (h <= leaf) {
    for (let i = 1; i < h; i++) {
      const ri = off + (d0 + i) * ld;
      const rc = ri + c0;
      let r = 0;
      // Four solved rows at a time: row i is read and written once per four instead of once per row.
      for (; r + 4 <= i; r += 4) {
        const l0 = a[ri + d0 + r]!;
        const l1 = a[ri + d0 + r + 1]!;
        const l2 = a[ri + d0 + r + 2]!;
        const l3 = a[ri + d0 + r + 3]!;
        const p0 = off + (d0 + r) * ld + c0;
        const p1 = p0 + ld;
        const p2 = p1 + ld;
        const p3 = p2 + ld;
        for (let j = 0; j < w; j++)
          a[rc + j]! -= l0 * a[p0 + j]! + l1 * a[p1 + j]! + (l2 * a[p2 + j]! + l3 * a[p3 + j]!);
      }
      for (; r < i; r++) {
        const l = a[ri + d0 + r]!;
        if (l === 0) continue;
        const rr = off + (d0 + r) * ld + c0;
        for (let j = 0; j < w; j++) a[rc + j]! -= l * a[rr + j]!;
      }
    }
    return;
  }
  const h1 = split(h);
  trsmUnitLower(a, off, ld, d0, h1, c0, w, leaf);
  blockGemm(a, h - h1, h1, w, {
    alpha: -1,
    aOffset: off + (d0 + h1) * ld + d0,
    lda: ld,
    bOffset: off + d0 * ld + c0,
    ldb: ld,
    outOffset: off + (d0 + h1) * ld + c0,
    ldOut: ld,
  });
  trsmUnitLower(a, off, ld, d0 + h1, h - h1, c0, w, leaf);
}
