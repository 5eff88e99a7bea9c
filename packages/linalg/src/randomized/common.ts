// Shared helpers for the randomized group: block matvecs on row-major Float64Array matrices.
import { type LinearOperator, tensor } from "@x/tensor";

/** Y = A M for an m×n operator and n×d row-major M → m×d row-major. */
export function applyCols(op: LinearOperator, M: Float64Array, d: number, transpose = false): Float64Array {
  const [m0, n0] = op.shape;
  const m = transpose ? n0 : m0;
  const n = transpose ? m0 : n0;
  const out = new Float64Array(m * d);
  const col = new Float64Array(n);
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < n; i++) col[i] = M[i * d + j]!;
    const v = tensor(Float64Array.from(col), [n]);
    const y = (transpose ? op.rmatvec(v) : op.matvec(v)).data;
    for (let i = 0; i < m; i++) out[i * d + j] = y[i]!;
  }
  return out;
}

/** C = Aᵀ B for row-major A (r×m) and B (r×n) → m×n. */
export function atb(A: Float64Array, B: Float64Array, r: number, m: number, n: number): Float64Array {
  const C = new Float64Array(m * n);
  for (let k = 0; k < r; k++) {
    for (let i = 0; i < m; i++) {
      const a = A[k * m + i]!;
      if (a === 0) continue;
      for (let j = 0; j < n; j++) C[i * n + j]! += a * B[k * n + j]!;
    }
  }
  return C;
}

/** C = A B for row-major A (m×r) and B (r×n). */
export function ab(A: Float64Array, B: Float64Array, m: number, r: number, n: number): Float64Array {
  const C = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < r; k++) {
      const a = A[i * r + k]!;
      if (a === 0) continue;
      for (let j = 0; j < n; j++) C[i * n + j]! += a * B[k * n + j]!;
    }
  }
  return C;
}
