// Eigen-decomposition of a symmetric tridiagonal matrix by the implicit QL method with Wilkinson shifts,
// after the EISPACK routine tql2 (Bowdler, Martin, Reinsch & Wilkinson, Numer. Math. 11, 1968).

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
  // z[r*n + k]: component rowIdx[r] of eigenvector k (selected rows of V); transposed at the end.
  const z = new Float64Array(nr * n);
  rowIdx.forEach((i, r) => {
    z[r * n + i] = 1;
  });
  let f = 0;
  // Deflate against the norm of the whole matrix, never below the smallest normal number: with a
  // running or zero norm, a subnormal off-diagonal is never negligible and the shift overflows.
  let tnorm = 0;
  for (let i = 0; i < n; i++) tnorm = Math.max(tnorm, Math.abs(d[i]!) + Math.abs(e[i]!));
  const small = Math.max(2 ** -52 * tnorm, 2.2250738585072014e-308);
  for (let l = 0; l < n; l++) {
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]!) <= small) break;
      m++;
    }
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 60) throw new Error("tridiagonalEig: QL iteration did not converge");
        let g = d[l]!;
        let p = (d[l + 1]! - g) / (2 * e[l]!);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l]! / (p + r);
        d[l + 1] = e[l]! * (p + r);
        const dl1 = d[l + 1]!;
        let h = g - d[l]!;
        for (let i = l + 2; i < n; i++) d[i]! -= h;
        f += h;
        p = d[m]!;
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1]!;
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i]!;
          h = c * p;
          r = Math.hypot(p, e[i]!);
          e[i + 1] = s * r;
          s = e[i]! / r;
          c = p / r;
          p = c * d[i]! - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]!);
          for (let k = 0; k < nr; k++) {
            h = z[k * n + i + 1]!;
            z[k * n + i + 1] = s * z[k * n + i]! + c * h;
            z[k * n + i] = c * z[k * n + i]! - s * h;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]!) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]!) > small);
    }
    d[l] = d[l]! + f;
    e[l] = 0;
  }
  // Sort ascending, emitting column-major vectors.
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => d[a]! - d[b]!);
  const values = new Float64Array(n);
  const vectors = new Float64Array(nr * n);
  order.forEach((src, j) => {
    values[j] = d[src]!;
    for (let r = 0; r < nr; r++) vectors[j * nr + r] = z[r * n + src]!;
  });
  return { values, vectors };
}
