import { fileURLToPath } from "node:url";
import { xVitestConfig } from "@x/vitest-config";
import { defineConfig } from "vitest/config";

// "@x/tensor" imported from inside this package (src/gpu.ts) resolves to the same source module
// as the other workspace packages see, so there is one registry and one Tensor class.
export default defineConfig(
  xVitestConfig({
    resolve: {
      alias: [{ find: /^@x\/tensor$/, replacement: fileURLToPath(new URL("./src/index.ts", import.meta.url)) }],
    },
  }),
);
