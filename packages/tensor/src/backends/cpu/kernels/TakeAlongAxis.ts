import type { KernelConfig } from "../../../backend.js";
import { TakeAlongAxis } from "../../../kernel-names.js";
import { aroundAxis } from "../axis-loop.js";
import { cpuTensor } from "../util.js";

/** np.take_along_axis with indices of x's shape except along `axis`. */
export const takeAlongAxisKernel: KernelConfig = {
  kernelName: TakeAlongAxis,
  backendName: "cpu",
  kernelFunc: ([x, indices], attrs) => {
    const axis = attrs.axis as number;
    const { outer, n, inner } = aroundAxis(x!.shape, axis);
    const m = indices!.shape[axis]!;
    const idx = indices!.data;
    const d = x!.data;
    const out = new Float64Array(idx.length);
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < m; j++) {
        for (let i = 0; i < inner; i++) {
          const p = (o * m + j) * inner + i;
          out[p] = d[(o * n + idx[p]!) * inner + i]!;
        }
      }
    }
    return cpuTensor(out, indices!.shape);
  },
};
