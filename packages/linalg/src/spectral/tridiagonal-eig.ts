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
    values[j] = d[src]!;
    vectors.set(w.subarray(src * nr, (src + 1) * nr), j * nr);
  });
  return { values, vectors };
}
