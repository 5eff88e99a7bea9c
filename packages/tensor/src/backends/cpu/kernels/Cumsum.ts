import type { KernelConfig } from "../../../backend.js";
import { Cumsum } from "../../../kernel-names.js";
import { aroundAxis } from "../axis-loop.js";
import { cpuTensor } from "../util.js";

export const cumsumKernel: KernelConfig = {
  kernelName: Cumsum,
  backendName: "cpu",
  kernelFunc: ([x], attrs) => {
    const axis = attrs.axis as number;
    const reverse = attrs.reverse as boolean;
    const { outer, n, inner } = aroundAxis(x!.shape, axis);
    const d = x!.data;
    const out = new Float64Array(d.length);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * n * inner + i;
        let acc = 0;
        for (let k = 0; k < n; k++) {
          const j = reverse ? n - 1 - k : k;
          acc += d[base + j * inner]!;
          out[base + j * inner] = acc;
        }
      }
    }
    return cpuTensor(out, x!.shape);
  },
};
