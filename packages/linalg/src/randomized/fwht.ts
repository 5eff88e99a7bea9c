// Fast Walsh–Hadamard transform, orthonormal scaling (Fino & Algazi, IEEE Trans. Computers C-25, 1976).
import { assertFinite, asTensor, ShapeError, type Tensor, type TensorLike, tensor } from "@x/tensor";

/** @internal In-place orthonormal FWHT of x[off .. off+n). */
export function fwhtInPlace(x: Float64Array, off: number, n: number): void {
  for (let h = 1; h < n; h *= 2) {
    for (let i = 0; i < n; i += 2 * h) {
      for (let j = i; j < i + h; j++) {
        const a = x[off + j]!;
        const b = x[off + j + h]!;
        x[off + j] = a + b;
        x[off + j + h] = a - b;
      }
    }
  }
  const s = 1 / Math.sqrt(n);
  for (let i = 0; i < n; i++) x[off + i]! *= s;
}

/** H x / √n along the last axis (length must be a power of two); orthogonal and its own inverse. */
export function fwht(x: TensorLike): Tensor {
  const t = asTensor(x, "x");
  if (t.rank < 1) throw new ShapeError("fwht: x must have at least one axis");
  const n = t.shape[t.rank - 1]!;
  if (n < 1 || (n & (n - 1)) !== 0) {
    throw new ShapeError(`fwht: last axis of x must have power-of-two length, got ${n}`);
  }
  assertFinite(t.data, "fwht: x");
  const out = Float64Array.from(t.data);
  for (let off = 0; off < out.length; off += n) fwhtInPlace(out, off, n);
  return tensor(out, [...t.shape]);
}
