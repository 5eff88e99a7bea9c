import type { KernelConfig } from "../../../backend.js";
import { Take } from "../../../kernel-names.js";
import { aroundAxis } from "../axis-loop.js";
import { cpuTensor } from "../util.js";

/** np.take: out = x[:axis] + indices.shape + x[axis+1:]; indices are validated by the op. */
export const takeKernel: KernelConfig = {
  kernelName: Take,
  backendName: "cpu",
  kernelFunc: ([x, indices], attrs) => {
    const axis = attrs.axis as number;
    const { outer, n, inner } = aroundAxis(x!.shape, axis);
    const idx = indices!.data;
    const m = idx.length;
    const d = x!.data;
    const out = new Float64Array(outer * m * inner);
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < m; j++) {
        const src = (o * n + idx[j]!) * inner;
        out.set(d.subarray(src, src + inner), (o * m + j) * inner);
      }
    }
    const shape = [...x!.shape.slice(0, axis), ...indices!.shape, ...x!.shape.slice(axis + 1)];
    return cpuTensor(out, shape);
  },
};
