import type { KernelConfig } from "../../../backend.js";
import { Concat } from "../../../kernel-names.js";
import { sizeOf } from "../../../shape.js";
import { aroundAxis } from "../axis-loop.js";
import { cpuTensor } from "../util.js";

export const concatKernel: KernelConfig = {
  kernelName: Concat,
  backendName: "cpu",
  kernelFunc: (xs, attrs) => {
    const axis = attrs.axis as number;
    const shape = xs[0]!.shape.slice();
    shape[axis] = xs.reduce((s, t) => s + t.shape[axis]!, 0);
    const { outer, n, inner } = aroundAxis(shape, axis);
    const out = new Float64Array(sizeOf(shape));
    let off = 0;
    for (const t of xs) {
      const w = t.shape[axis]! * inner;
      const d = t.data;
      for (let o = 0; o < outer; o++) out.set(d.subarray(o * w, (o + 1) * w), o * n * inner + off);
      off += w;
    }
    return cpuTensor(out, shape);
  },
};
