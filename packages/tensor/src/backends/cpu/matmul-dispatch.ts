// Picks the float64 matmul kernel by problem size. The WebAssembly kernel copies A and B into
// its linear memory and C back out, pads to 4×4 tiles and crosses the JS↔wasm boundary; for
// tiny products that fixed ~0.3 µs outweighs its ~4× faster inner loop, so they stay in JS.
import { ShapeError } from "../../errors.js";
import { matmulJs } from "./matmul-js.js";
import { matmulWasm } from "./matmul-wasm.js";

/**
 * m·k·n at or above which matmulWasm is used. Measured on a Zen 3 core, Node 20 (µs, JS vs
 * wasm SIMD): 8³ 0.49 vs 0.55, 10³ 0.97 vs 1.36, 8×16×8 0.83 vs 0.90, 12³ 1.36 vs 0.81,
 * 16³ 3.2 vs 1.3, 32³ 20 vs 6.1. The copies are cheap, so the crossover is ~10³, far below 32³.
 */
export const WASM_MATMUL_THRESHOLD = 1024;

/**
 * out[m×n] = a[m×k] · b[k×n] (row-major Float64Arrays at the given offsets; out overwritten),
 * using the fastest kernel for the size.
 */
export function matmulF64(
  a: Float64Array,
  aOff: number,
  b: Float64Array,
  bOff: number,
  out: Float64Array,
  outOff: number,
  m: number,
  k: number,
  n: number,
): void {
  // Matrix-vector products are memory-bound and would waste 3/4 of a padded 4-wide tile: plain loops.
  if (n === 1) {
    for (let i = 0; i < m; i++) {
      let s = 0;
      const row = aOff + i * k;
      for (let t = 0; t < k; t++) s += a[row + t]! * b[bOff + t]!;
      out[outOff + i] = s;
    }
  } else if (m === 1) {
    out.fill(0, outOff, outOff + n);
    for (let t = 0; t < k; t++) {
      const at = a[aOff + t]!;
      const row = bOff + t * n;
      for (let j = 0; j < n; j++) out[outOff + j]! += at * b[row + j]!;
    }
  } else if (m * k * n < WASM_MATMUL_THRESHOLD) matmulJs(a, aOff, b, bOff, out, outOff, m, k, n);
  else matmulWasm(a, aOff, b, bOff, out, outOff, m, k, n);
}

/**
 * a·b for row-major m×k and k×n Float64Arrays, always in float64 on the cpu kernels whatever the default backend
 * (factorisations in @x/linalg and friends build on this; a float32 accelerator must never enter them silently).
 * `out` (m·n, overwritten) is returned; the operands may be views into larger buffers.
 */
export function gemmF64(
  a: Float64Array,
  b: Float64Array,
  m: number,
  k: number,
  n: number,
  out: Float64Array = new Float64Array(m * n),
): Float64Array {
  if (a.length < m * k || b.length < k * n || out.length < m * n) {
    throw new ShapeError(
      `gemmF64: need a ≥ ${m * k}, b ≥ ${k * n}, out ≥ ${m * n} elements; got ${a.length}, ${b.length}, ${out.length}`,
    );
  }
  if (m === 0 || n === 0) return out;
  if (k === 0) return out.fill(0, 0, m * n);
  matmulF64(a, 0, b, 0, out, 0, m, k, n);
  return out;
}
