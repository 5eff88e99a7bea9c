import type { KernelConfig } from "../../../backend.js";
import { LogBesselI } from "../../../kernel-names.js";
import { logBesselI } from "../../../special/log-bessel.js";
import { cpuTensor } from "../util.js";

export const logBesselIKernel: KernelConfig = {
  kernelName: LogBesselI,
  backendName: "cpu",
  kernelFunc: ([x], attrs) => {
    const nu = attrs.nu as number;
    const d = x!.data;
    const out = new Float64Array(d.length);
    for (let i = 0; i < d.length; i++) out[i] = logBesselI(nu, d[i]!);
    return cpuTensor(out, x!.shape);
  },
};
