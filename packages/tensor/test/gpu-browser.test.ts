// Backend "gpujs" in a real browser: headless Chromium (Debian's `chromium` package) driven by
// playwright-core runs a conformance subset in gpu.js's WebGL mode. When the browser cannot be
// launched the test is reported as skipped with the reason in its name (never silently).
import { fileURLToPath } from "node:url";
import { launchChromium, runTensorPage } from "@x/test-utils/browser";
import { afterAll, describe, expect, it } from "vitest";

const launched = await launchChromium();
if (launched.reason) console.warn(`gpu-browser test skipped: ${launched.reason}`);

describe("gpujs in headless Chromium (WebGL)", () => {
  afterAll(() => launched.close());

  it.skipIf(launched.reason !== undefined)(
    `conformance subset against cpu${launched.reason ? ` (skipped: ${launched.reason})` : ""}`,
    async () => {
      const { result, errors } = await runTensorPage<{
        mode: string;
        rows: { name: string; ok: boolean; maxErr: number; detail?: string }[];
        error?: string;
        describe?: string;
        fallbacks?: string[];
        timing?: Record<string, number>;
      }>(launched.browser!, fileURLToPath(new URL("./browser/page.ts", import.meta.url)), { timeout: 120_000 });
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
    },
    180_000,
  );
});
