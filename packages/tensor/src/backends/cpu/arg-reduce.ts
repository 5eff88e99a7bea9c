import type { KernelConfig } from "../../backend.js";
import { aroundAxis } from "./axis-loop.js";
import { cpuTensor } from "./util.js";

/** Index of the best element along an axis; the first NaN wins (NumPy semantics). */
export function argReduceKernel(kernelName: string, better: (a: number, b: number) => boolean): KernelConfig {
  return {
    kernelName,
    backendName: "cpu",
    kernelFunc: ([x], attrs) => {
      const axis = attrs.axis as number;
      const keepDims = attrs.keepDims as boolean;
      const { outer, n, inner } = aroundAxis(x!.shape, axis);
      const d = x!.data;
      const out = new Float64Array(outer * inner);
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) {
          const base = o * n * inner + i;
          let best = 0;
          let bv = d[base]!;
          for (let j = 1; j < n && bv === bv; j++) {
            const v = d[base + j * inner]!;
            if (v !== v || better(v, bv)) {
              best = j;
              bv = v;
            }
          }
          out[o * inner + i] = best;
        }
      }
      const shape = x!.shape.slice();
      if (keepDims) shape[axis] = 1;
      else shape.splice(axis, 1);
      return cpuTensor(out, shape);
    },
  };
}
