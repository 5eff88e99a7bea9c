import type { KernelConfig } from "../../../backend.js";
import { SliceAdjoint } from "../../../kernel-names.js";
import { sizeOf, stridesOf } from "../../../shape.js";
import { cpuData, cpuTensor, forEachRow, isContiguousWindow } from "../util.js";

/** Transpose of Slice: zeros of `inShape` with g written at the strided window. */
export const sliceAdjointKernel: KernelConfig = {
  kernelName: SliceAdjoint,
  backendName: "cpu",
  kernelFunc: ([g], attrs) => {
    const inShape = attrs.inShape as number[];
    const begin = attrs.begin as number[];
    const step = attrs.step as number[];
    const xs = stridesOf(inShape);
    let base = 0;
    for (let i = 0; i < xs.length; i++) base += begin[i]! * xs[i]!;
    const d = cpuData(g!);
    const out = new Float64Array(sizeOf(inShape));
    if (isContiguousWindow(inShape, g!.shape, step)) {
      if (d.length > 0) out.set(d, base); // an empty window may start past the end
      return cpuTensor(out, inShape);
    }
    const st = xs.map((s, i) => s * step[i]!);
    const last = st[st.length - 1] ?? 0;
    forEachRow(g!.shape, [st], (o, [oi], n) => {
      for (let j = 0; j < n; j++) out[base + oi! + j * last] = d[o + j]!;
    });
    return cpuTensor(out, inShape);
  },
};
