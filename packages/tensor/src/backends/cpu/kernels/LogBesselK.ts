import type { KernelConfig } from "../../../backend.js";
import { LogBesselK } from "../../../kernel-names.js";
import { logBesselK } from "../../../special/log-bessel.js";
import { cpuTensor } from "../util.js";

export const logBesselKKernel: KernelConfig = {
  kernelName: LogBesselK,
  backendName: "cpu",
  kernelFunc: ([x], attrs) => {
    const nu = attrs.nu as number;
    const d = x!.data;
    const out = new Float64Array(d.length);
    for (let i = 0; i < d.length; i++) out[i] = logBesselK(nu, d[i]!);
    return cpuTensor(out, x!.shape);
  },
};
