// gpu.js backend in headless Chromium (WebGL): the measurements of ./gpu.ts run on a page bundled by
// esbuild from ./gpu-browser-page.ts, driven by playwright-core — the same setup as
// packages/tensor/test/gpu-browser.test.ts. Chromium here renders WebGL with SwiftShader (software),
// so the gpujs numbers are a CPU rasterizer's, not a GPU's. Returns null (and logs why) when the
// browser is missing or does not launch.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { type BrowserContext, chromium } from "playwright-core";
import type { PageRow } from "./gpu-browser-page.js";

export interface GpuBrowserRow extends PageRow {
  /** gpu.js mode in the page ("webgl2" expected). */
  mode: string;
  /** UNMASKED_RENDERER_WEBGL (SwiftShader here: software rendering). */
  renderer: string;
  /** cpu time ÷ gpujs time (> 1: gpujs is faster). */
  speedup: number;
}

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--enable-unsafe-swiftshader",
  "--js-flags=--expose-gc",
];
const tensorSrc = (p: string) => fileURLToPath(new URL(`../../../packages/tensor/src/${p}`, import.meta.url));

export async function benchGpuBrowser(log: (s: string) => void): Promise<GpuBrowserRow[] | null> {
  const skip = (reason: string) => {
    log(`  browser benchmark skipped: ${reason}`);
    return null;
  };
  if (!existsSync(CHROMIUM)) return skip(`no Chromium at ${CHROMIUM}`);
  const userDir = mkdtempSync(join(tmpdir(), "x-bench-chromium-"));
  const dir = mkdtempSync(join(tmpdir(), "x-bench-page-"));
  let browser: BrowserContext | undefined;
  try {
    try {
      browser = await chromium.launchPersistentContext(userDir, {
        executablePath: CHROMIUM,
        headless: true,
        args: ARGS,
        timeout: 30_000,
      });
    } catch (e) {
      return skip(`Chromium at ${CHROMIUM} did not launch: ${String(e).split("\n")[0]}`);
    }
    const out = await build({
      entryPoints: [fileURLToPath(new URL("./gpu-browser-page.ts", import.meta.url))],
      bundle: true,
      write: false,
      format: "iife",
      platform: "browser",
      target: "es2022",
      conditions: ["@x/source"],
      logLevel: "silent",
      plugins: [
        {
          name: "x-tensor-source",
          setup(b) {
            b.onResolve({ filter: /^@x\/tensor(\/gpu)?$/ }, (a) => ({
              path: a.path.endsWith("/gpu") ? tensorSrc("gpu.ts") : tensorSrc("index.ts"),
            }));
          },
        },
      ],
    });
    writeFileSync(join(dir, "page.js"), out.outputFiles[0]!.contents);
    writeFileSync(join(dir, "index.html"), '<!doctype html><meta charset="utf-8"><script src="page.js"></script>');
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    // "commit": the page starts its long synchronous run right away, which would hold up "load".
    await page.goto(`file://${join(dir, "index.html")}`, { waitUntil: "commit" });
    const result = (await page
      .waitForFunction(() => (globalThis as { __result?: unknown }).__result, undefined, {
        timeout: 90_000,
        polling: 500,
      })
      .then((h) => h.jsonValue())) as { mode?: string; renderer?: string; rows?: PageRow[]; error?: string };
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
    await browser?.close().catch(() => undefined);
    rmSync(userDir, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
}
