import type { KernelConfig } from "../../../backend.js";
import { TakeAdjoint } from "../../../kernel-names.js";
import { sizeOf } from "../../../shape.js";
import { cpuTensor } from "../util.js";

/** Transpose of Take: scatter-add g's slices into a zero tensor whose `axis` has length `dim`. */
export const takeAdjointKernel: KernelConfig = {
  kernelName: TakeAdjoint,
  backendName: "cpu",
  kernelFunc: ([g, indices], attrs) => {
    const axis = attrs.axis as number;
    const dim = attrs.dim as number;
    const idx = indices!.data;
    const m = idx.length;
    const ir = indices!.rank;
    const outer = sizeOf(g!.shape.slice(0, axis));
    const inner = sizeOf(g!.shape.slice(axis + ir));
    const shape = [...g!.shape.slice(0, axis), dim, ...g!.shape.slice(axis + ir)];
    const out = new Float64Array(sizeOf(shape));
    const d = g!.data;
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < m; j++) {
        const dst = (o * dim + idx[j]!) * inner;
        const src = (o * m + j) * inner;
        for (let i = 0; i < inner; i++) out[dst + i]! += d[src + i]!;
      }
    }
    return cpuTensor(out, shape);
  },
};
