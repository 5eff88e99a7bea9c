// Shared vitest preset. Plain JS on purpose: Vite's config loader cannot import a .ts preset
// from a workspace package on Node 20 (toolchain trap 1).
import { fileURLToPath } from "node:url";

const setup = fileURLToPath(new URL("./fc-setup.ts", import.meta.url));

/** @param {import('vitest/config').UserConfig} [overrides] */
export function xVitestConfig(overrides = {}) {
  const test = overrides.test ?? {};
  return {
    ...overrides,
    resolve: { conditions: ["@x/source", "module", "import", "default"], ...(overrides.resolve ?? {}) },
    ssr: { resolve: { conditions: ["@x/source", "module", "import", "default"] } },
    test: {
      include: ["test/**/*.test.ts"],
      environment: "node",
      testTimeout: 60_000,
      ...test,
      setupFiles: [setup, ...(test.setupFiles ?? [])],
    },
  };
}
export default xVitestConfig;
