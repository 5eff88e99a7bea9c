#!/usr/bin/env node
// Compiles a SIMD .wat module of this folder into a TypeScript file exporting its bytes as base64:
//
//   node tooling/reference/wasm/build-wat.mjs exp-sum.wat packages/ot/src/internal/exp-sum-wasm-bytes.ts EXP_SUM_WASM_SIMD
//   node tooling/reference/wasm/build-wat.mjs gemv.wat packages/linalg/src/dense/gemv-wasm-bytes.ts GEMV_WASM_SIMD
//
// (from the repo root; needs `pnpm install` for the `wabt` root devDependency). Small modules like these compile
// synchronously on the main thread, so the generated constant is all a package needs. Scripts that assemble a
// module's source first (build-block-gemm.mjs) import `buildWat`.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import wabtInit from "wabt";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..", "..");
const rel = (p) => relative(root, p).split("\\").join("/");

/**
 * Compiles `source` (default: the file `watName` of this folder) with SIMD128 and writes `outRel` (from the repo
 * root) exporting `constName`; `from` and `regenerate` override the generated header's provenance lines.
 */
export async function buildWat({ watName, outRel, constName, source, from, regenerate }) {
  const watPath = join(here, watName);
  const outPath = join(root, outRel);
  const wabt = await wabtInit();
  const mod = wabt.parseWat(watName, source ?? readFileSync(watPath, "utf8"), { simd: true });
  mod.validate();
  const { buffer } = mod.toBinary({ write_debug_names: false });
  mod.destroy();
  const bytes = Buffer.from(buffer);
  const cmd = regenerate ?? `node ${rel(fileURLToPath(import.meta.url))} ${watName} ${rel(outPath)} ${constName}`;
  const b64 = bytes
    .toString("base64")
    .match(/.{1,100}/g)
    .map((line) => `  "${line}"`)
    .join(" +\n");
  writeFileSync(
    outPath,
    `// GENERATED from ${from ?? rel(watPath)}. Do not edit. Regenerate:
// ${cmd}

/** ${watName} compiled with SIMD128 (${bytes.length} bytes, base64). */
export const ${constName} =
${b64};
`,
  );
  console.log(`wrote ${rel(outPath)} (${bytes.length} B)`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [watName, outRel, constName] = process.argv.slice(2);
  if (!watName || !outRel || !constName) {
    console.error("usage: node tooling/reference/wasm/build-wat.mjs <module.wat> <out.ts> <CONST_NAME>");
    process.exit(2);
  }
  await buildWat({ watName, outRel, constName });
}
