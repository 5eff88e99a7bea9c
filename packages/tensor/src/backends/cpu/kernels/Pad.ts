import type { KernelConfig } from "../../../backend.js";
import { Pad } from "../../../kernel-names.js";
import { sizeOf, stridesOf } from "../../../shape.js";
import { cpuTensor, forEachRow } from "../util.js";

export const padKernel: KernelConfig = {
  kernelName: Pad,
  backendName: "cpu",
  kernelFunc: ([x], attrs) => {
    const pads = attrs.pads as [number, number][];
    const value = attrs.value as number;
    const shape = x!.shape.map((s, i) => s + pads[i]![0] + pads[i]![1]);
    const os = stridesOf(shape);
    let base = 0;
    for (let i = 0; i < os.length; i++) base += pads[i]![0] * os[i]!;
    const out = new Float64Array(sizeOf(shape)).fill(value);
    const d = x!.data;
    forEachRow(x!.shape, [os], (o, [oo], n) => {
      for (let j = 0; j < n; j++) out[base + oo! + j] = d[o + j]!;
    });
    return cpuTensor(out, shape);
  },
};
