// Kernel herding (Chen, Welling & Smola, "Super-Samples from Kernel Herding", UAI 2010): greedily pick
// x_{t+1} = argmax_c [ mean_j k(c, x_j) − 1/(t+1) Σ_{s≤t} k(c, x_s) ] among the input points, a conditional-gradient
// descent of MMD² towards the empirical distribution (Bach, Lacoste-Julien & Obozinski, ICML 2012).
import { type TensorLike, ValueError } from "@x/tensor";
import { asInputs, type Kernel } from "./kernel.js";
import { coresetMmd2 } from "./kernel-thinning.js";

export interface KernelHerdingResult {
  /** Chosen input indices in order (repeats allowed). */
  indices: number[];
  /** Biased MMD² of the first t+1 points against the input, per step. */
  mmd2: number[];
}

export function kernelHerding(kernel: Kernel, x: TensorLike, opts: { size: number }): KernelHerdingResult {
  const X = asInputs(x, "x");
  const N = X.shape[0]!;
  const size = opts.size;
  if (!(Number.isInteger(size) && size >= 1))
    throw new ValueError(`kernelHerding: size must be an integer ≥ 1, got ${size}`);
  const K = kernel.k(X).data;
  const rowMean = new Float64Array(N);
  let total = 0;
  for (let i = 0; i < N; i++) {
    let s = 0;
    for (let j = 0; j < N; j++) s += K[i * N + j]!;
    rowMean[i] = s / N;
    total += s / (N * N);
  }
  const acc = new Float64Array(N); // Σ_{s≤t} k(c, x_s)
  const indices: number[] = [];
  const mmd2: number[] = [];
  for (let t = 0; t < size; t++) {
    let best = 0;
    let bestVal = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < N; c++) {
      const v = rowMean[c]! - acc[c]! / (t + 1);
      if (v > bestVal) {
        bestVal = v;
        best = c;
      }
    }
    indices.push(best);
    for (let c = 0; c < N; c++) acc[c] = acc[c]! + K[c * N + best]!;
    mmd2.push(coresetMmd2(K, N, indices, rowMean, total));
  }
  return { indices, mmd2 };
}
