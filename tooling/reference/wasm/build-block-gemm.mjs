#!/usr/bin/env node
// Compiles block-gemm.wat into packages/linalg/src/internal/block-gemm-wasm-bytes.ts.
//
//   node tooling/reference/wasm/build-block-gemm.mjs      (from the repo root; needs `pnpm install`)
//
// Compiles through build-wat.mjs (the `wabt` root devDependency). The 4×4 micro-kernel is not
// written twice: its `(func $kernel …)` is cut out of matmul.wat and spliced in at the KERNEL comment of
// block-gemm.wat. The module needs only SIMD128 and is < 4 KB (synchronous compilation on the main thread).
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildWat } from "./build-wat.mjs";

const here = dirname(fileURLToPath(import.meta.url));

/** The balanced s-expression that starts at `start` in `text`. */
function sexpr(text, start) {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    if (text[i] === ";" && text[i + 1] === ";") i = text.indexOf("\n", i);
    else if (text[i] === "(") depth++;
    else if (text[i] === ")" && --depth === 0) return text.slice(start, i + 1);
  }
  throw new Error("unbalanced parentheses");
}

const matmul = readFileSync(join(here, "matmul.wat"), "utf8");
const at = matmul.indexOf("(func $kernel ");
if (at < 0) throw new Error("no (func $kernel …) in matmul.wat");
const kernel = sexpr(matmul, at);
const template = readFileSync(join(here, "block-gemm.wat"), "utf8");
const marker = /^ *;; KERNEL:.*$/m;
if (!marker.test(template)) throw new Error("no ;; KERNEL: marker in block-gemm.wat");

await buildWat({
  watName: "block-gemm.wat",
  outRel: "packages/linalg/src/internal/block-gemm-wasm-bytes.ts",
  constName: "BLOCK_GEMM_WASM_SIMD",
  source: template.replace(marker, `  ${kernel}`),
  from: "tooling/reference/wasm/block-gemm.wat (+ the kernel of tooling/reference/wasm/matmul.wat)",
  regenerate: "node tooling/reference/wasm/build-block-gemm.mjs",
});
