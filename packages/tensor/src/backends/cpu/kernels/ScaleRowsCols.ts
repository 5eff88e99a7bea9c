import type { KernelConfig } from "../../../backend.js";
import { ScaleRowsCols } from "../../../kernel-names.js";
import { cpuTensor } from "../util.js";

// out[i, j] = u[i]·K[i, j]·v[j] for K [n, m], u [n], v [m] (a Sinkhorn plan diag(u) K diag(v)).
export const scaleRowsColsKernel: KernelConfig = {
  kernelName: ScaleRowsCols,
  backendName: "cpu",
  kernelFunc: ([k, u, v]) => {
    const [n, m] = k!.shape as [number, number];
    const kd = k!.data;
    const ud = u!.data;
    const vd = v!.data;
    const out = new Float64Array(n * m);
    for (let i = 0; i < n; i++) {
      const ui = ud[i]!;
      const o = i * m;
      for (let j = 0; j < m; j++) out[o + j] = ui * kd[o + j]! * vd[j]!;
    }
    return cpuTensor(out, [n, m]);
  },
};
