import type { KernelConfig } from "../../../backend.js";
import { Slice } from "../../../kernel-names.js";
import { sizeOf, stridesOf } from "../../../shape.js";
import { cpuData, cpuTensor, forEachRow, isContiguousWindow } from "../util.js";

/** Strided window: out[i] = x[begin + i * step] along every axis. */
export const sliceKernel: KernelConfig = {
  kernelName: Slice,
  backendName: "cpu",
  kernelFunc: ([x], attrs) => {
    const begin = attrs.begin as number[];
    const size = attrs.size as number[];
    const step = attrs.step as number[];
    const xs = stridesOf(x!.shape);
    let base = 0;
    for (let i = 0; i < xs.length; i++) base += begin[i]! * xs[i]!;
    const d = cpuData(x!);
    if (isContiguousWindow(x!.shape, size, step)) return cpuTensor(d.slice(base, base + sizeOf(size)), size);
    const st = xs.map((s, i) => s * step[i]!);
    const out = new Float64Array(sizeOf(size));
    const last = st[st.length - 1] ?? 0;
    forEachRow(size, [st], (o, [oi], n) => {
      for (let j = 0; j < n; j++) out[o + j] = d[base + oi! + j * last]!;
    });
    return cpuTensor(out, size);
  },
};
