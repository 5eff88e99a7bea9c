import { xVitestConfig } from "@x/vitest-config";
import { defineConfig } from "vitest/config";
export default defineConfig(xVitestConfig({ resolve: { alias: [
  { find: /^.*\/special\/(lgamma|digamma|erf|log-bessel|index)\.js$/, replacement: "/tmp/shim/special.ts" },
  { find: /^.*matmul-dispatch\.js$/, replacement: "/tmp/shim/matmul.ts" },
] } }));
