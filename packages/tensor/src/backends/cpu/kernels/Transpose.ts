import type { KernelConfig } from "../../../backend.js";
import { Transpose } from "../../../kernel-names.js";
import { stridesOf } from "../../../shape.js";
import { cpuTensor, forEachRow } from "../util.js";

export const transposeKernel: KernelConfig = {
  kernelName: Transpose,
  backendName: "cpu",
  kernelFunc: ([x], attrs) => {
    const perm = attrs.perm as number[];
    const inStrides = stridesOf(x!.shape);
    const shape = perm.map((p) => x!.shape[p]!);
    const st = perm.map((p) => inStrides[p]!);
    const d = x!.data;
    const out = new Float64Array(d.length);
    const last = st[st.length - 1] ?? 0;
    forEachRow(shape, [st], (o, [oi], n) => {
      for (let j = 0; j < n; j++) out[o + j] = d[oi! + j * last]!;
    });
    return cpuTensor(out, shape);
  },
};
