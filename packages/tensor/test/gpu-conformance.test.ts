import { setFallbackNotice } from "@x/tensor";
import { describeBackend } from "@x/test-utils";
import { createGpuJsBackend } from "../src/gpu.js";

// The gpu.js backend (float32, tolerance from tolFor(32)) against the same naive references as cpu:
// in the automatic Node mode (WebAssembly without the `gl` module) and in gpu.js's "cpu" mode.
setFallbackNotice(() => {});
describeBackend("gpujs", { numRuns: 15 });
createGpuJsBackend({ mode: "cpu", name: "gpujs-cpumode" });
describeBackend("gpujs-cpumode", { numRuns: 10 });
