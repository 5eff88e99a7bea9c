import { xVitestConfig } from "@x/vitest-config";
import { defineConfig } from "vitest/config";

export default defineConfig(xVitestConfig());
