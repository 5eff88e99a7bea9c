// Vite resolves the workspace packages from their TypeScript sources (the "@x/source" export condition),
// so the playground never needs the packages to be built first.
import { defineConfig } from "vite";

const conditions = ["@x/source", "module", "browser", "import", "default"];

export default defineConfig({
  base: "./",
  resolve: { conditions },
  worker: { format: "es" },
  build: {
    target: "es2022",
    // the worker carries gpu.js (~0.5 MB); it is loaded once, off the main thread
    chunkSizeWarningLimit: 1000,
    reportCompressedSize: false,
    // the timing report only says the machine is busy
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
});
