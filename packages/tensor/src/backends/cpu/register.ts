// Registers the float64 cpu backend and its kernels (one kernel per file in ./kernels).
import { registerBackend, registerKernel } from "../../backend.js";
import * as kernels from "./kernels/index.js";

registerBackend(
  "cpu",
  () => ({
    name: "cpu",
    floatPrecision: 64,
    read: (storage) => storage as Float64Array,
    write: (values) => values,
    describe: () => "cpu (float64, JavaScript + WebAssembly SIMD matmul)",
  }),
  1,
);
for (const k of Object.values(kernels)) registerKernel(k);
