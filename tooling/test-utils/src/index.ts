export * from "./arbitraries.js";
export * from "./close.js";
export * from "./conformance.js";
export * from "./grad-check.js";
