import type { KernelConfig } from "../../../backend.js";
import { Polygamma } from "../../../kernel-names.js";
import { polygamma } from "../../../special/digamma.js";
import { cpuTensor } from "../util.js";

export const polygammaKernel: KernelConfig = {
  kernelName: Polygamma,
  backendName: "cpu",
  kernelFunc: ([x], attrs) => {
    const n = attrs.n as number;
    const d = x!.data;
    const out = new Float64Array(d.length);
    for (let i = 0; i < d.length; i++) out[i] = polygamma(n, d[i]!);
    return cpuTensor(out, x!.shape);
  },
};
