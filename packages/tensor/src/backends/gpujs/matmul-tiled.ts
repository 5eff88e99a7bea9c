// Row-tiled matmul for gpu.js's WebAssembly mode. gpu.js vectorises 4 consecutive this.thread.x cells into
// f32x4 lanes; a value derived from thread.x is lane-varying and every read at a varying index is a 4-load
// gather. With a flat 1-D output both operands are gathered. Here the output grid is [n, m(, batch)]: lanes
// run along a row of C (thread.x = column j) while the row index thread.y and the batch index thread.z are
// uniform across a quad, so A[i, p] is one scalar load broadcast to all lanes and only B[p, j] is gathered —
// 5 loads per 4 multiply-adds instead of 8, with the k loop unrolled by 4 (uniform trip count).
import { kernelNames as K, type Tensor } from "@x/tensor";
import { decompose, dimArgs, fn, offsetExpr, strideArgs } from "./codegen.js";
import type { GpuJsBackend, GpuStorage } from "./engine.js";
import { bshape, bstrides, size } from "./shape.js";

/** True when the tiled kernel applies: typed-array storage in gpu.js's WebAssembly mode. */
export const tiledMatmulApplies = (e: GpuJsBackend): boolean => e.mode === "webasm" && !e.resident;

function source(br: number): string {
  const lines: string[] = [];
  if (br > 0) lines.push(decompose(br, "this.thread.z"));
  lines.push(
    `const oa = ${br > 0 ? `${offsetExpr("sa", br)} + ` : ""}this.thread.y * k;`,
    `const ob = ${br > 0 ? `${offsetExpr("sb", br)} + ` : ""}this.thread.x;`,
    "let s = 0.0;",
    "const k4 = Math.floor((k + 0.5) / 4.0) * 4.0;",
    "for (let p = 0; p < k4; p += 4) {",
    "s += a[oa + p] * b[ob + p * nn] + a[oa + p + 1] * b[ob + (p + 1) * nn] + a[oa + p + 2] * b[ob + (p + 2) * nn] + a[oa + p + 3] * b[ob + (p + 3) * nn];",
    "}",
    // A distinct loop variable: gpu.js hoists `let p` out of the loop.
    "for (let q = k4; q < k; q++) {",
    "s += a[oa + q] * b[ob + q * nn];",
    "}",
    "return s;",
  );
  return fn(["a", "b", "k", "nn", ...dimArgs(br), ...strideArgs("sa", br), ...strideArgs("sb", br)], lines.join("\n"));
}

/** Copies gpu.js's nested row arrays (Float32Array rows inside arrays) into one flat Float32Array. */
function flattenRows(v: unknown, total: number): Float32Array {
  if (v instanceof Float32Array) return v;
  const out = new Float32Array(total);
  let o = 0;
  const walk = (x: unknown): void => {
    if (x instanceof Float32Array) {
      out.set(x, o);
      o += x.length;
    } else {
      const rows = x as ArrayLike<unknown>;
      for (let i = 0; i < rows.length; i++) walk(rows[i]);
    }
  };
  walk(v);
  return out;
}

/** Batched [..., m, k] @ [..., k, n] (broadcast batch) with the row-tiled kernel; returns the flat float32 result. */
export function tiledMatmul(e: GpuJsBackend, a: Tensor, b: Tensor): { shape: number[]; storage: GpuStorage } {
  const ra = a.rank;
  const rb = b.rank;
  const m = a.shape[ra - 2]!;
  const k = a.shape[ra - 1]!;
  const n = b.shape[rb - 1]!;
  const batch = bshape(K.MatMul, [a.shape.slice(0, -2), b.shape.slice(0, -2)]);
  const br = batch.length;
  const shape = [...batch, m, n];
  const total = size(shape);
  // An empty sum (k = 0) is zero; gpu.js cannot bind empty arrays.
  if (total === 0 || k === 0) return { shape, storage: { arr: new Float32Array(total) } };
  const sa = bstrides(a.shape.slice(0, -2), batch).map((s) => s * m * k);
  const sb = bstrides(b.shape.slice(0, -2), batch).map((s) => s * k * n);
  const kern = e.kernel(`matmul-tiled:b${br}`, () => source(br), total);
  kern.setOutput(br > 0 ? [n, m, size(batch)] : [n, m]);
  const arr = (t: Tensor) => (t._storage as GpuStorage).arr!;
  const res = kern(arr(a), arr(b), k, n, ...batch.slice(1), ...sa, ...sb);
  return { shape, storage: { arr: flattenRows(res, total) } };
}
