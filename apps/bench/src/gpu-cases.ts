// Shared by the Node (./gpu.ts) and browser (./gpu-browser-page.ts) gpu.js benchmarks: run on a
// backend, the float32 error measure, and the Sinkhorn-style workload.
import * as X from "@x/tensor";

export const on = <T>(backend: string, f: () => T): T => {
  const prev = X.getBackend().name;
  X.setBackend(backend);
  try {
    return f();
  } finally {
    X.setBackend(prev);
  }
};

export function relErr(a: Float64Array, b: Float64Array): number {
  let d = 0;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs(a[i]! - b[i]!));
    m = Math.max(m, Math.abs(b[i]!));
  }
  return m === 0 ? d : d / m;
}

export function sinkhorn(x: X.Tensor, y: X.Tensor, eps: number, iters: number): X.Tensor {
  const n = x.shape[0]!;
  const m = y.shape[0]!;
  const K = X.gibbsKernel(X.pairwiseSqDist(x, y), eps);
  const a = X.full([n, 1], 1 / n);
  const b = X.full([1, m], 1 / m);
  let u = X.ones([n, 1]);
  let v = X.ones([m, 1]);
  for (let it = 0; it < iters; it++) {
    u = X.div(a, X.matmul(K, v));
    v = X.reshape(X.div(b, X.matmul(X.reshape(u, [1, n]), K)), [m, 1]);
  }
  return X.scaleRowsCols(K, X.reshape(u, [n]), X.reshape(v, [m]));
}
