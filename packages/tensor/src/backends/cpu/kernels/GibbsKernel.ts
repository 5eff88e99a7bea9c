import type { KernelConfig } from "../../../backend.js";
import { GibbsKernel } from "../../../kernel-names.js";
import { cpuTensor } from "../util.js";

// K = exp(−C / ε), elementwise, with ε > 0 from attrs.
export const gibbsKernelKernel: KernelConfig = {
  kernelName: GibbsKernel,
  backendName: "cpu",
  kernelFunc: ([c], attrs) => {
    const s = -1 / (attrs.eps as number);
    const d = c!.data;
    const out = new Float64Array(d.length);
    for (let i = 0; i < d.length; i++) out[i] = Math.exp(d[i]! * s);
    return cpuTensor(out, c!.shape);
  },
};
