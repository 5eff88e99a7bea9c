import type { KernelConfig } from "../../../backend.js";
import { TakeAlongAxisAdjoint } from "../../../kernel-names.js";
import { sizeOf } from "../../../shape.js";
import { aroundAxis } from "../axis-loop.js";
import { cpuTensor } from "../util.js";

/** Transpose of TakeAlongAxis: scatter-add g into zeros whose `axis` has length `dim`. */
export const takeAlongAxisAdjointKernel: KernelConfig = {
  kernelName: TakeAlongAxisAdjoint,
  backendName: "cpu",
  kernelFunc: ([g, indices], attrs) => {
    const axis = attrs.axis as number;
    const dim = attrs.dim as number;
    const { outer, n: m, inner } = aroundAxis(indices!.shape, axis);
    const shape = indices!.shape.slice();
    shape[axis] = dim;
    const out = new Float64Array(sizeOf(shape));
    const idx = indices!.data;
    const d = g!.data;
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < m; j++) {
        for (let i = 0; i < inner; i++) {
          const p = (o * m + j) * inner + i;
          out[(o * dim + idx[p]!) * inner + i]! += d[p]!;
        }
      }
    }
    return cpuTensor(out, shape);
  },
};
