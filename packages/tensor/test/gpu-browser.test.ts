// Backend "gpujs" in a real browser: headless Chromium (Debian's `chromium` package) driven by
// playwright-core runs a conformance subset in gpu.js's WebGL mode. When the browser cannot be
// launched the test is reported as skipped with the reason in its name (never silently).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { type BrowserContext, chromium } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  // WebGL on the software rasterizer (SwiftShader); newer Chromium only allows it when asked.
  "--enable-unsafe-swiftshader",
  // lets the page force garbage collection, so texture finalizers run during the test
  "--js-flags=--expose-gc",
];
const src = (p: string) => fileURLToPath(new URL(`../src/${p}`, import.meta.url));

async function launch(): Promise<{ browser?: BrowserContext; userDir?: string; reason?: string }> {
  if (!existsSync(CHROMIUM)) return { reason: `no Chromium at ${CHROMIUM} (apt-get install -y chromium)` };
  const userDir = mkdtempSync(join(tmpdir(), "x-tensor-chromium-"));
  try {
    // A new empty --user-data-dir (playwright passes it for a persistent context).
    const browser = await chromium.launchPersistentContext(userDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      timeout: 30_000,
    });
    return { browser, userDir };
  } catch (e) {
    rmSync(userDir, { recursive: true, force: true });
    return { reason: `Chromium at ${CHROMIUM} did not launch: ${String(e).split("\n")[0]}` };
  }
}

const launched = await launch();
if (launched.reason) console.warn(`gpu-browser test skipped: ${launched.reason}`);

describe("gpujs in headless Chromium (WebGL)", () => {
  afterAll(async () => {
    await launched.browser?.close();
    if (launched.userDir) rmSync(launched.userDir, { recursive: true, force: true });
  });

  it.skipIf(launched.reason !== undefined)(
    `conformance subset against cpu${launched.reason ? ` (skipped: ${launched.reason})` : ""}`,
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "x-tensor-page-"));
      try {
        const out = await build({
          entryPoints: [fileURLToPath(new URL("./browser/page.ts", import.meta.url))],
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
                  path: a.path.endsWith("/gpu") ? src("gpu.ts") : src("index.ts"),
                }));
              },
            },
          ],
        });
        writeFileSync(join(dir, "page.js"), out.outputFiles[0]!.contents);
        writeFileSync(join(dir, "index.html"), '<!doctype html><meta charset="utf-8"><script src="page.js"></script>');
        const page = await launched.browser!.newPage();
        const errors: string[] = [];
        page.on("pageerror", (e) => errors.push(String(e)));
        await page.goto(`file://${join(dir, "index.html")}`);
        const result = (await page
          .waitForFunction(() => (globalThis as { __result?: unknown }).__result, undefined, {
            timeout: 120_000,
          })
          .then((h) => h.jsonValue())) as {
          mode: string;
          rows: { name: string; ok: boolean; maxErr: number; detail?: string }[];
          error?: string;
          describe?: string;
          fallbacks?: string[];
          timing?: Record<string, number>;
        };
        console.log(
          `browser gpujs: ${result.describe ?? result.mode}; ${result.rows.length} checks; ${JSON.stringify(result.timing)}`,
        );
        expect(errors).toEqual([]);
        expect(result.error).toBeUndefined();
        expect(["webgl2", "webgl"]).toContain(result.mode);
        const bad = result.rows.filter((r) => !r.ok);
        if (process.env.X_DEBUG)
          console.log(
            result.rows.map((r) => `${r.ok ? "ok " : "BAD"} ${r.name} ${r.maxErr} ${r.detail ?? ""}`).join("\n"),
          );
        expect(bad, JSON.stringify(bad.slice(0, 5))).toEqual([]);
        expect(result.rows.length).toBeGreaterThan(40);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    180_000,
  );
});
