import type { KernelConfig } from "../../../backend.js";
import { BroadcastTo } from "../../../kernel-names.js";
import { broadcastStrides, sizeOf } from "../../../shape.js";
import { cpuData, cpuTensor, forEachRow } from "../util.js";

export const broadcastToKernel: KernelConfig = {
  kernelName: BroadcastTo,
  backendName: "cpu",
  kernelFunc: ([x], attrs) => {
    const shape = attrs.shape as number[];
    const d = cpuData(x!);
    const out = new Float64Array(sizeOf(shape));
    // One value (the cotangent of every full reduction): a fill, no index walk.
    if (x!.size === 1) return cpuTensor(out.fill(d[0]!), shape);
    const st = broadcastStrides(x!.shape, shape);
    const last = st[st.length - 1] ?? 0;
    forEachRow(shape, [st], (o, [oi], n) => {
      for (let j = 0; j < n; j++) out[o + j] = d[oi! + j * last]!;
    });
    return cpuTensor(out, shape);
  },
};
