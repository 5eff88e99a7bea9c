import type { UserConfig } from "vitest/config";
export declare function xVitestConfig(overrides?: UserConfig): UserConfig;
export default xVitestConfig;
