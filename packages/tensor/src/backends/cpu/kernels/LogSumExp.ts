// Fused log Σ exp over a set of axes, shifted by the max of each output slot (two passes).
// All −Inf → −Inf, any +Inf → +Inf, NaN propagates; an empty reduction gives −Inf.
import type { KernelConfig } from "../../../backend.js";
import { LogSumExp } from "../../../kernel-names.js";
import { sizeOf } from "../../../shape.js";
import { reductionLayout } from "../reduce.js";
import { cpuTensor, forEachRow } from "../util.js";

export const logSumExpKernel: KernelConfig = {
  kernelName: LogSumExp,
  backendName: "cpu",
  kernelFunc: ([x], attrs) => {
    const shape = x!.shape;
    const { outShape, ost, finalShape } = reductionLayout(shape, attrs.axes as number[], attrs.keepDims as boolean);
    const size = sizeOf(outShape);
    const m = new Float64Array(size).fill(Number.NEGATIVE_INFINITY);
    const d = x!.data;
    // Pass 1: max (NaN sticks).
    forEachRow(shape, [ost], (o, [oo], n) => {
      const st = ost[shape.length - 1] ?? 0;
      for (let j = 0; j < n; j++) {
        const slot = oo! + j * st;
        const acc = m[slot]!;
        const v = d[o + j]!;
        if (acc === acc && (v > acc || v !== v)) m[slot] = v;
      }
    });
    // Pass 2: Σ exp(x − shift) with the shift 0 where the max is not finite.
    const s = new Float64Array(size);
    forEachRow(shape, [ost], (o, [oo], n) => {
      const st = ost[shape.length - 1] ?? 0;
      for (let j = 0; j < n; j++) {
        const slot = oo! + j * st;
        const mm = m[slot]!;
        s[slot]! += Math.exp(d[o + j]! - (Number.isFinite(mm) ? mm : 0));
      }
    });
    const out = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      const mm = m[i]!;
      out[i] = Math.log(s[i]!) + (Number.isFinite(mm) ? mm : 0);
    }
    return cpuTensor(out, finalShape);
  },
};
