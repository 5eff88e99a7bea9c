// The sign convention of the dense factorisations (eigh's eigenvectors, svd's U): every column's largest-|entry|
// (the first one on ties) is positive.

/** ±1 per column of the row-major rows×cols block z (row stride ld), in one row-wise pass. */
export function columnSigns(z: Float64Array, rows: number, ld: number, cols: number): Float64Array {
  const big = new Float64Array(cols);
  const sg = new Float64Array(cols).fill(1);
  for (let i = 0; i < rows; i++) {
    const o = i * ld;
    for (let c = 0; c < cols; c++) {
      const x = z[o + c]!;
      if (Math.abs(x) > big[c]!) {
        big[c] = Math.abs(x);
        sg[c] = x < 0 ? -1 : 1;
      }
    }
  }
  return sg;
}

/** ±1: the sign of the largest-|entry| (the first one on ties) of x[o..o+len). */
export function vectorSign(x: Float64Array, o: number, len: number): number {
  let big = -1;
  let sg = 1;
  for (let i = 0; i < len; i++) {
    const v = x[o + i]!;
    if (Math.abs(v) > big) {
      big = Math.abs(v);
      sg = v < 0 ? -1 : 1;
    }
  }
  return sg;
}
