import type { KernelConfig } from "../../../backend.js";
import { Where } from "../../../kernel-names.js";
import { broadcastShapes, broadcastStrides, sizeOf } from "../../../shape.js";
import { cpuTensor, forEachRow } from "../util.js";

export const whereKernel: KernelConfig = {
  kernelName: Where,
  backendName: "cpu",
  kernelFunc: ([c, a, b]) => {
    const shape = broadcastShapes("where", c!.shape, a!.shape, b!.shape);
    const cd = c!.data;
    const ad = a!.data;
    const bd = b!.data;
    const st = [c!, a!, b!].map((t) => broadcastStrides(t.shape, shape));
    const last = shape.length - 1;
    const [lc, la, lb] = st.map((s) => s[last] ?? 0) as [number, number, number];
    const out = new Float64Array(sizeOf(shape));
    forEachRow(shape, st, (o, [oc, oa, ob], n) => {
      for (let j = 0; j < n; j++) out[o + j] = cd[oc! + j * lc] ? ad[oa! + j * la]! : bd[ob! + j * lb]!;
    });
    return cpuTensor(out, shape);
  },
};
