// Headless Chromium (Debian's `chromium` package) driven by playwright-core, shared by the browser tests and the
// browser benchmark: one launch recipe, and one way to bundle a page that imports @x/tensor from source. When the
// browser is missing or does not launch, callers get `{ reason }` and skip saying why (never silently).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { type BrowserContext, chromium, type Page } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  // WebGL (for the gpujs backend) on the software rasterizer SwiftShader; newer Chromium only allows it when asked.
  "--enable-unsafe-swiftshader",
  // lets a page force garbage collection, so gpu.js texture finalizers run during a test
  "--js-flags=--expose-gc",
];

export interface Launched {
  browser?: BrowserContext;
  reason?: string;
  close(): Promise<void>;
}

/** Launches Chromium with a fresh temporary profile (removed again by `close`). */
export async function launchChromium(opts: { viewport?: { width: number; height: number } } = {}): Promise<Launched> {
  const none = async () => undefined;
  if (!existsSync(CHROMIUM)) return { reason: `no Chromium at ${CHROMIUM} (apt-get install -y chromium)`, close: none };
  const userDir = mkdtempSync(join(tmpdir(), "x-chromium-"));
  const removeDir = () => rmSync(userDir, { recursive: true, force: true });
  try {
    const browser = await chromium.launchPersistentContext(userDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: 30_000,
      ...(opts.viewport ? { viewport: opts.viewport } : {}),
    });
    return {
      browser,
      close: async () => {
        await browser.close().catch(() => undefined);
        removeDir();
      },
    };
  } catch (e) {
    removeDir();
    return { reason: `Chromium at ${CHROMIUM} did not launch: ${String(e).split("\n")[0]}`, close: none };
  }
}

const tensorSrc = (p: string) => fileURLToPath(new URL(`../../../packages/tensor/src/${p}`, import.meta.url));

/**
 * Bundles `entry` (a TS file that imports `@x/tensor` / `@x/tensor/gpu`, resolved to their sources) into an IIFE page,
 * opens it, and waits for the page to set `globalThis.__result`, which is returned with the page's uncaught errors.
 */
export async function runTensorPage<R>(
  browser: BrowserContext,
  entry: string,
  opts: { timeout: number; polling?: number },
): Promise<{ result: R; errors: string[]; page: Page }> {
  const dir = mkdtempSync(join(tmpdir(), "x-page-"));
  try {
    const out = await build({
      entryPoints: [entry],
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
    // "commit": a page may start a long synchronous run right away, which would hold up "load".
    await page.goto(`file://${join(dir, "index.html")}`, { waitUntil: "commit" });
    const result = (await page
      .waitForFunction(() => (globalThis as { __result?: unknown }).__result, undefined, {
        timeout: opts.timeout,
        polling: opts.polling ?? "raf",
      })
      .then((h) => h.jsonValue())) as R;
    return { result, errors, page };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
