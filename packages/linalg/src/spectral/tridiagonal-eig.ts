// Eigen-decomposition of a symmetric tridiagonal matrix by the implicit QL method with Wilkinson shifts
// (EISPACK tql2; Bowdler, Martin, Reinsch & Wilkinson, Numer. Math. 11, 1968), run by the shared routine in
// dense/tridiagonal-ql.ts; this file only selects the tracked rows and sorts.
import { tql2 } from "../dense/tridiagonal-ql.js";

/**
 * Eigenvalues (ascending) and orthonormal eigenvectors of the n×n symmetric tridiagonal matrix with
 * diagonal `d` and off-diagonal `e` (length n−1). Vectors are returned column-major: column j is
 * `vectors.subarray(j*n, (j+1)*n)`.
 *
 * `rows` restricts the accumulated eigenvector components to the given row indices (e.g. [n−1] for
 * Lanczos residual estimates, [0] for Gauss quadrature weights): the QL rotations act on each row
 * independently, so this costs O(n) instead of O(n²) per rotation. Column j is then
 * `vectors.subarray(j*r, (j+1)*r)` with r = rows.length, in the order given.
 */
export function tridiagonalEig(
  diagIn: ArrayLike<number>,
  offIn: ArrayLike<number>,
  rows?: readonly number[],
): { values: Float64Array; vectors: Float64Array } {
  const n = diagIn.length;
  const rowIdx = rows ?? Array.from({ length: n }, (_, i) => i);
  const nr = rowIdx.length;
  const d = Float64Array.from(diagIn);
  const e = new Float64Array(n);
  for (let i = 0; i < n - 1; i++) e[i] = offIn[i]!;
  // tql2 multiplies two off-diagonals (e_{l+1}·e_l), which underflows below ~1e-154 and overflows above ~1e154
  // (wrong Ritz values, or NaN). Outside [2⁻²⁵⁶, 2²⁵⁶] the matrix is scaled by a power of two, which is exact and
  // commutes with every rounding in the iteration; inside it nothing changes.
  const unscale = powerOfTwoScale(d, e);
  // w[k*nr + r]: component rowIdx[r] of eigenvector k (tql2 rotates rows k, k+1 of w, i.e. the selected rows
  // of V transposed), so eigenvector k's tracked components end up contiguous.
  const w = new Float64Array(n * nr);
  rowIdx.forEach((i, r) => {
    w[i * nr + r] = 1;
  });
  tql2(d, e, n, w, nr, "tridiagonalEig");
  // Sort ascending, emitting column-major vectors.
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => d[a]! - d[b]!);
  const values = new Float64Array(n);
  const vectors = new Float64Array(nr * n);
  order.forEach((src, j) => {
    values[j] = d[src]! * unscale;
    vectors.set(w.subarray(src * nr, (src + 1) * nr), j * nr);
  });
  return { values, vectors };
}

/** Scales d and e in place by 2ᵏ when max(|dᵢ| + |eᵢ|) lies outside [2⁻²⁵⁶, 2²⁵⁶]; returns 2⁻ᵏ (1 when unscaled). */
function powerOfTwoScale(d: Float64Array, e: Float64Array): number {
  let norm = 0;
  for (let i = 0; i < d.length; i++) norm = Math.max(norm, Math.abs(d[i]!) + Math.abs(e[i]!));
  if (!(norm > 0 && Number.isFinite(norm)) || (norm >= 2 ** -256 && norm <= 2 ** 256)) return 1;
  // 2^(−⌊log₂ norm⌋) in two factors, each a normal number, so that neither the scale nor its inverse overflows.
  const k = -Math.floor(Math.log2(norm));
  const half = 2 ** Math.trunc(k / 2);
  const rest = 2 ** (k - Math.trunc(k / 2));
  for (let i = 0; i < d.length; i++) {
    d[i] = d[i]! * half * rest;
    e[i] = e[i]! * half * rest;
  }
  return 2 ** -Math.trunc(k / 2) * 2 ** -(k - Math.trunc(k / 2));
}
