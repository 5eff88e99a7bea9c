// The compute worker: every long computation runs here so the page never freezes. The page cancels a
// run by terminating this worker and starting a fresh one (see runner.ts).
import * as X from "@x/tensor";
import { createGpuJsBackend, GPUJS, gpuJsMode } from "@x/tensor/gpu";
import { GPU } from "gpu.js";
import type { Compute, RunRequest, WorkerMessage } from "./protocol.js";

// A worker has no `document`, so the backend's automatic choice would be gpu.js's WebAssembly mode;
// WebGL2 on an OffscreenCanvas is what a browser worker can actually offer, so ask for it when present.
let gpuReady = false;
function useBackend(name: RunRequest["backend"]): void {
  if (name === "cpu") {
    X.setBackend("cpu");
    return;
  }
  if (!gpuReady) {
    const G = GPU as unknown as Record<string, boolean>;
    if (G.isWebGL2Supported) createGpuJsBackend({ mode: "webgl2" });
    else if (G.isWebGLSupported) createGpuJsBackend({ mode: "webgl" });
    gpuReady = true;
  }
  X.setBackend(GPUJS);
}

// Each page's compute module is loaded on first use (one chunk per page).
const computes: Record<string, () => Promise<{ compute: Compute }>> = {
  linalg: () => import("./compute/linalg.js"),
  ot: () => import("./compute/ot.js"),
  "neural-ode": () => import("./compute/neural-ode.js"),
  kernels: () => import("./compute/kernels.js"),
  verify: () => import("./compute/verify.js"),
  bilevel: () => import("./compute/bilevel.js"),
  "second-order": () => import("./compute/second-order.js"),
};

const post = (m: WorkerMessage) => (self as unknown as Worker).postMessage(m);

// Ops without a gpu.js kernel fall back to cpu with a one-time notice: show it on the page, not only in the console.
let notices: string[] = [];
X.setFallbackNotice((msg) => notices.push(msg));

self.onmessage = async (e: MessageEvent<RunRequest>) => {
  const req = e.data;
  notices = [];
  try {
    const load = computes[req.page];
    if (!load) throw new Error(`no computation for page "${req.page}"`);
    const { compute } = await load();
    useBackend(req.backend);
    const t0 = performance.now();
    const data = await compute(req.params, (fraction, label) =>
      post({ type: "progress", id: req.id, fraction, label }),
    );
    const ms = performance.now() - t0;
    // a page may switch back to cpu on its own (verify: bounds are float64 certificates)
    const mode = X.getBackend().name === GPUJS ? gpuJsMode() : "cpu";
    post({
      type: "result",
      id: req.id,
      data,
      ms,
      backend: X.getBackend().name,
      mode,
      precision: X.floatPrecision(),
      notices,
    });
  } catch (err) {
    post({ type: "error", id: req.id, message: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
  } finally {
    X.setBackend("cpu");
  }
};
