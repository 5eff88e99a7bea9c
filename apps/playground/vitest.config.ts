import { xVitestConfig } from "@x/vitest-config";
import { defineConfig } from "vitest/config";

export default defineConfig(xVitestConfig({ test: { testTimeout: 240_000, hookTimeout: 180_000 } }));
