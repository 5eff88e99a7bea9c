import type { KernelConfig } from "../../../backend.js";
import { Argsort } from "../../../kernel-names.js";
import { aroundAxis } from "../axis-loop.js";
import { cpuTensor } from "../util.js";

// Stable sort of indices along an axis; NaN sorts last in either direction.
export const argsortKernel: KernelConfig = {
  kernelName: Argsort,
  backendName: "cpu",
  kernelFunc: ([x], attrs) => {
    const axis = attrs.axis as number;
    const sign = (attrs.descending as boolean) ? -1 : 1;
    const { outer, n, inner } = aroundAxis(x!.shape, axis);
    const d = x!.data;
    const out = new Float64Array(d.length);
    const idx = new Array<number>(n);
    const vals = new Float64Array(n);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * n * inner + i;
        for (let j = 0; j < n; j++) {
          idx[j] = j;
          vals[j] = d[base + j * inner]!;
        }
        idx.sort((p, q) => {
          const a = vals[p]!;
          const b = vals[q]!;
          if (a !== a || b !== b) return a !== a && b !== b ? p - q : a !== a ? 1 : -1;
          return a === b ? p - q : sign * (a < b ? -1 : 1);
        });
        for (let j = 0; j < n; j++) out[base + j * inner] = idx[j]!;
      }
    }
    return cpuTensor(out, x!.shape);
  },
};
