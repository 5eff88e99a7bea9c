import type { KernelConfig } from "../../../backend.js";
import { PairwiseSqDist } from "../../../kernel-names.js";
import { cpuTensor } from "../util.js";

// D[i, j] = Σ_k (x[i, k] − y[j, k])² for x [n, d], y [m, d] (direct differences: no cancellation).
export const pairwiseSqDistKernel: KernelConfig = {
  kernelName: PairwiseSqDist,
  backendName: "cpu",
  kernelFunc: ([x, y]) => {
    const [n, d] = x!.shape as [number, number];
    const m = y!.shape[0]!;
    const xd = x!.data;
    const yd = y!.data;
    const out = new Float64Array(n * m);
    for (let i = 0; i < n; i++) {
      const xo = i * d;
      for (let j = 0; j < m; j++) {
        const yo = j * d;
        let s = 0;
        for (let k = 0; k < d; k++) {
          const t = xd[xo + k]! - yd[yo + k]!;
          s += t * t;
        }
        out[i * m + j] = s;
      }
    }
    return cpuTensor(out, [n, m]);
  },
};
