// Test harness: build the playground with vite (unless dist/ is newer than all its sources), serve
// dist/ with a tiny static server on a free port, and drive headless Chromium (Debian's package) with
// playwright-core. When Chromium is missing or does not launch, tests report skipped with the reason.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium as launchBrowser } from "@x/test-utils/browser";
import type { BrowserContext, Page } from "playwright-core";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const DIST = join(ROOT, "dist");
export const SHOTS = join(ROOT, "test-results");
/** Newest modification time under `path` (files only), skipping node_modules and dist. */
function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let t = 0;
  for (const e of readdirSync(path)) if (e !== "node_modules" && e !== "dist") t = Math.max(t, newest(join(path, e)));
  return t;
}

/** dist/ is reused when it is newer than every source it is built from (this app and the workspace packages). */
function distIsFresh(): boolean {
  const index = join(DIST, "index.html");
  if (!existsSync(index)) return false;
  const pkgs = join(ROOT, "..", "..", "packages");
  const sources = ["src", "index.html", "vite.config.ts", "package.json"].map((p) => join(ROOT, p));
  for (const p of existsSync(pkgs) ? readdirSync(pkgs) : []) sources.push(join(pkgs, p, "src"));
  return Math.max(...sources.map(newest)) < statSync(index).mtimeMs;
}

export async function buildDist(): Promise<void> {
  if (process.env.PLAYGROUND_REBUILD !== "1" && distIsFresh()) return;
  const { build } = await import("vite");
  await build({ root: ROOT, logLevel: "error", configFile: join(ROOT, "vite.config.ts") });
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
};

/** Serves dist/ on 127.0.0.1 at a free port. */
export async function serveDist(): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname)).replace(
      /^(\.\.[/\\])+/,
      "",
    );
    const file = join(DIST, path.endsWith("/") ? `${path}index.html` : path);
    if (!file.startsWith(DIST) || !existsSync(file)) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    res.end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(() => r())) };
}

/** Chromium with the viewport the screenshots use (see @x/test-utils/browser). */
export const launchChromium = () => launchBrowser({ viewport: { width: 1000, height: 900 } });

/** A page that records console errors and uncaught exceptions. */
export async function openPage(browser: BrowserContext): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  page.setDefaultTimeout(150_000);
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  return { page, errors };
}

/** Waits until the page has finished `runs` runs (body[data-runs]) and is not running; throws on an error status. */
export async function waitRuns(page: Page, runs: number, timeout = 150_000): Promise<void> {
  await page.waitForFunction(
    (n) => {
      const d = document.body.dataset;
      if (d.status === "error") return true;
      return Number(d.runs ?? 0) >= n && d.status === "done";
    },
    runs,
    { timeout },
  );
  const status = await page.evaluate(() => document.body.dataset.status);
  if (status === "error") throw new Error(`page error: ${await page.textContent("#status-text")}`);
}

/** The summary numbers shown under the plot, by data-key. */
export async function summary(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll<HTMLElement>("#summary [data-key]")].map((e) => [e.dataset.key!, e.dataset.value!]),
    ),
  );
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** Sets a control (range input or select) and fires the events a user would. */
export async function setControl(page: Page, key: string, value: string | number): Promise<void> {
  await page.evaluate(
    ([k, v]) => {
      const el = document.querySelector<HTMLInputElement | HTMLSelectElement>(`#ctl-${k}`)!;
      el.value = String(v);
      el.dispatchEvent(new Event(el instanceof HTMLSelectElement ? "change" : "input", { bubbles: true }));
    },
    [key, String(value)] as const,
  );
}
