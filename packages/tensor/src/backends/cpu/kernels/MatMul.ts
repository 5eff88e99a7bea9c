import type { KernelConfig } from "../../../backend.js";
import { MatMul } from "../../../kernel-names.js";
import { broadcastShapes, broadcastStrides, sizeOf } from "../../../shape.js";
import { matmulF64 } from "../matmul-dispatch.js";
import { cpuTensor } from "../util.js";

// Batched matmul [..., m, k] @ [..., k, n] with broadcasting over the batch dimensions.
export const matMulKernel: KernelConfig = {
  kernelName: MatMul,
  backendName: "cpu",
  kernelFunc: ([a, b]) => {
    const ra = a!.rank;
    const rb = b!.rank;
    const m = a!.shape[ra - 2]!;
    const k = a!.shape[ra - 1]!;
    const n = b!.shape[rb - 1]!;
    const batchA = a!.shape.slice(0, ra - 2);
    const batchB = b!.shape.slice(0, rb - 2);
    const batch = broadcastShapes("matmul", batchA, batchB);
    const nb = sizeOf(batch);
    const ad = a!.data;
    const bd = b!.data;
    const out = new Float64Array(nb * m * n);
    const sa = broadcastStrides(batchA, batch);
    const sb = broadcastStrides(batchB, batch);
    const idx = new Array<number>(batch.length).fill(0);
    for (let t = 0; t < nb; t++) {
      let oa = 0;
      let ob = 0;
      for (let d = 0; d < batch.length; d++) {
        oa += idx[d]! * sa[d]!;
        ob += idx[d]! * sb[d]!;
      }
      matmulF64(ad, oa * m * k, bd, ob * k * n, out, t * m * n, m, k, n);
      for (let d = batch.length - 1; d >= 0; d--) {
        if (++idx[d]! < batch[d]!) break;
        idx[d] = 0;
      }
    }
    return cpuTensor(out, [...batch, m, n]);
  },
};
