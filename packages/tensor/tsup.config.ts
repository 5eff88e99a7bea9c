import { defineConfig } from "tsup";

export default defineConfig({
  entry: { index: "src/index.ts", gpu: "src/gpu.ts" },
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "es2022",
  // src/gpu.ts imports the core as "@x/tensor" (resolved by package self-reference at run time), so
  // dist/gpu.* never carries a second copy of Tensor or the registry (toolchain trap 5). index.ts
  // never imports "@x/tensor", so it still bundles its own sources. gpu.js is an optional peer.
  external: ["@x/tensor", "gpu.js"],
});
