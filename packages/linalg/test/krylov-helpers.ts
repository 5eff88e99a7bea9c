// Small dense helpers shared by the krylov tests (oracles computed independently of the solvers).
import { type Tensor, tensor } from "@x/tensor";

/** Inverse by Gauss–Jordan elimination with partial pivoting. */
export function gaussJordanInverse(a: Tensor): Tensor {
  const n = a.shape[0]!;
  const m = Float64Array.from(a.data);
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r * n + c]!) > Math.abs(m[p * n + c]!)) p = r;
    for (let j = 0; j < n; j++) {
      [m[c * n + j], m[p * n + j]] = [m[p * n + j]!, m[c * n + j]!];
      [inv[c * n + j], inv[p * n + j]] = [inv[p * n + j]!, inv[c * n + j]!];
    }
    const d = m[c * n + c]!;
    for (let j = 0; j < n; j++) {
      m[c * n + j]! /= d;
      inv[c * n + j]! /= d;
    }
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r * n + c]!;
      if (f === 0) continue;
      for (let j = 0; j < n; j++) {
        m[r * n + j]! -= f * m[c * n + j]!;
        inv[r * n + j]! -= f * inv[c * n + j]!;
      }
    }
  }
  return tensor(inv, [n, n]);
}

export function denseMatvec(a: Tensor, x: ArrayLike<number>): Float64Array {
  const [m, n] = [a.shape[0]!, a.shape[1]!];
  const d = a.data;
  const y = new Float64Array(m);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) y[i]! += d[i * n + j]! * x[j]!;
  return y;
}

export function norm2(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! ** 2;
  return Math.sqrt(s);
}

export function residualNorm(a: Tensor, x: Tensor, b: Tensor): number {
  const ax = denseMatvec(a, x.data);
  return norm2(ax.map((v, i) => b.data[i]! - v));
}
