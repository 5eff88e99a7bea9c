// gpu.js backend in headless Chromium (WebGL): the measurements of ./gpu.ts run on a page bundled by
// esbuild from ./gpu-browser-page.ts, driven by playwright-core through @x/test-utils/browser
// (shared with packages/tensor/test/gpu-browser.test.ts). Chromium here renders WebGL with SwiftShader (software),
// so the gpujs numbers are a CPU rasterizer's, not a GPU's. Returns null (and logs why) when the
// browser is missing or does not launch.
import { fileURLToPath } from "node:url";
import { launchChromium, runTensorPage } from "@x/test-utils/browser";
import type { PageRow } from "./gpu-browser-page.js";

export interface GpuBrowserRow extends PageRow {
  /** gpu.js mode in the page ("webgl2" expected). */
  mode: string;
  /** UNMASKED_RENDERER_WEBGL (SwiftShader here: software rendering). */
  renderer: string;
  /** cpu time ÷ gpujs time (> 1: gpujs is faster). */
  speedup: number;
}

export async function benchGpuBrowser(log: (s: string) => void): Promise<GpuBrowserRow[] | null> {
  const skip = (reason: string) => {
    log(`  browser benchmark skipped: ${reason}`);
    return null;
  };
  const launched = await launchChromium();
  if (!launched.browser) return skip(launched.reason ?? "Chromium did not launch");
  try {
    const { result, errors } = await runTensorPage<{
      mode?: string;
      renderer?: string;
      rows?: PageRow[];
      error?: string;
    }>(launched.browser, fileURLToPath(new URL("./gpu-browser-page.ts", import.meta.url)), {
      timeout: 90_000,
      polling: 500,
    });
    if (result.error || !result.rows) return skip(`page failed: ${result.error ?? errors.join("; ")}`);
    const rows = result.rows.map((r) => ({
      ...r,
      mode: result.mode ?? "unknown",
      renderer: result.renderer ?? "unknown",
      speedup: r.cpu_ms / r.gpujs_ms,
    }));
    log(`  gpujs runs gpu.js mode "${result.mode}" on WebGL renderer "${result.renderer}"`);
    for (const r of rows)
      log(
        r.cpu_gflops === null
          ? `  ${r.case}: cpu ${r.cpu_ms.toFixed(1)} ms, gpujs ${r.gpujs_ms.toFixed(1)} ms (×${r.speedup.toFixed(2)}, rel err ${r.rel_err.toExponential(1)})`
          : `  ${r.case}: cpu ${r.cpu_gflops.toFixed(2)} GFLOP/s, gpujs ${r.gpujs_gflops!.toFixed(2)} GFLOP/s (×${r.speedup.toFixed(2)}, rel err ${r.rel_err.toExponential(1)})`,
      );
    return rows;
  } catch (e) {
    return skip(`browser run failed: ${String(e).split("\n")[0]}`);
  } finally {
    await launched.close();
  }
}
