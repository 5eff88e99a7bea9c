// Copies one triangle of a row-major n×n matrix onto the other in 64×64 tiles, so the strided side of the copy stays
// in cache (a plain double loop would miss on every write for large n).
const TILE = 64;

/** a[j][i] = a[i][j] for j < i: the strictly lower triangle is copied into the upper one. */
export function mirrorLowerToUpper(a: Float64Array, n: number): void {
  for (let i0 = 0; i0 < n; i0 += TILE) {
    const i1 = Math.min(n, i0 + TILE);
    for (let j0 = 0; j0 <= i0; j0 += TILE) {
      for (let i = i0; i < i1; i++) {
        const ri = i * n;
        const jEnd = Math.min(i, j0 + TILE);
        for (let j = j0; j < jEnd; j++) a[j * n + i] = a[ri + j]!;
      }
    }
  }
}

/** a[j][i] = a[i][j] for j > i: the strictly upper triangle is copied into the lower one. */
export function mirrorUpperToLower(a: Float64Array, n: number): void {
  for (let i0 = 0; i0 < n; i0 += TILE) {
    const i1 = Math.min(n, i0 + TILE);
    for (let j0 = i0; j0 < n; j0 += TILE) {
      const j1 = Math.min(n, j0 + TILE);
      for (let i = i0; i < i1; i++) {
        const ri = i * n;
        for (let j = Math.max(j0, i + 1); j < j1; j++) a[j * n + i] = a[ri + j]!;
      }
    }
  }
}
