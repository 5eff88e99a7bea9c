// @x/tensor/gpu: the gpu.js backend "gpujs" (float32). Importing this entry registers it; switch with
// setBackend("gpujs"). Ops without a gpu.js kernel run on cpu after a one-time notice.
// The core is imported through the package name so the cpu entry and this one share one registry
// and one Tensor class, also in the separately bundled CJS/ESM outputs (toolchain trap 5).
import { getBackend, listBackends, listKernels, registerBackend } from "@x/tensor";
import { GpuJsBackend, type GpuJsBackendOptions } from "./backends/gpujs/engine.js";
import { registerGpuKernels } from "./backends/gpujs/kernels.js";

export { detectMode, GpuJsBackend, type GpuJsBackendOptions, type GpuJsMode } from "./backends/gpujs/engine.js";

/** Name under which this entry registers the backend. */
export const GPUJS = "gpujs";

/**
 * (Re)registers backend "gpujs" (or `name`, e.g. to compare two modes side by side), optionally forcing a gpu.js mode, and returns it. Tensors already
 * on "gpujs" stay readable. Priority 0: importing the entry never changes the default backend.
 */
export function createGpuJsBackend(opts: GpuJsBackendOptions & { name?: string } = {}): GpuJsBackend {
  const name = opts.name ?? GPUJS;
  const backend = new GpuJsBackend(name, opts);
  registerBackend(name, () => backend, 0);
  if (name !== GPUJS) registerGpuKernels(name);
  return backend;
}

/** The gpu.js mode backend "gpujs" runs in (selecting it on first call). */
export function gpuJsMode(): GpuJsBackend["mode"] {
  return (getBackend(GPUJS) as GpuJsBackend).mode;
}

/** Kernel names that run on cpu (with a notice) when "gpujs" is active. */
export function gpuJsFallbacks(): string[] {
  const own = new Set(listKernels(GPUJS));
  return listKernels("cpu").filter((k) => !own.has(k));
}

if (!listBackends().includes(GPUJS)) registerBackend(GPUJS, () => new GpuJsBackend(GPUJS), 0);
registerGpuKernels(GPUJS);
