// WebAssembly SIMD float64 GEMM: out[m×n] = a[m×k] · b[k×n], all row-major and contiguous.
//
// The kernel follows Goto & van de Geijn, "Anatomy of high-performance matrix multiplication"
// (ACM TOMS 34(3), 2008): packed A blocks in L2, packed B micro-panels in L1, and a 4×4 f64x2
// register micro-kernel; see tooling/reference/wasm/matmul.wat for the loop nest and why 4×4.
//
// This file only moves data: inputs are copied into the module's linear memory, the result
// is copied out. Those copies are O(mk + kn + mn) against O(mkn) flops, so they only matter
// for small products, which matmul-dispatch.ts routes to the plain-JS kernel instead.
//
// Both modules are ~1 KB and compiled synchronously on first use (Chrome forbids synchronous
// compilation only above 4 KB on the main thread). Where relaxed SIMD exists (Node ≥ 22,
// Chrome ≥ 114) the fused-multiply-add variant is used; otherwise plain SIMD128; otherwise
// (or if memory cannot grow) everything falls back to matmulJs.
import { matmulJs } from "./matmul-js.js";
import { MATMUL_WASM_RELAXED, MATMUL_WASM_SIMD } from "./matmul-wasm-bytes.js";

/** Which compiled module to use: "relaxed" (f64x2.relaxed_madd) or "simd" (mul + add). */
export type WasmMatmulVariant = "relaxed" | "simd";

/** Signature shared by every float64 matmul kernel in this folder. */
export type MatmulF64 = (
  a: Float64Array,
  aOff: number,
  b: Float64Array,
  bOff: number,
  out: Float64Array,
  outOff: number,
  m: number,
  k: number,
  n: number,
) => void;

interface GemmExports {
  memory: WebAssembly.Memory;
  gemm: (a: number, b: number, c: number, m: number, k: number, n: number, pa: number, pb: number) => void;
  MR: WebAssembly.Global;
  NR: WebAssembly.Global;
  KC: WebAssembly.Global;
  MC: WebAssembly.Global;
  NC: WebAssembly.Global;
}

// (module (func (param v128) (result v128) (f64x2.mul (local.get 0) (local.get 0))))
const SIMD_PROBE = [
  0, 97, 115, 109, 1, 0, 0, 0, 1, 6, 1, 96, 1, 123, 1, 123, 3, 2, 1, 0, 10, 11, 1, 9, 0, 32, 0, 32, 0, 253, 242, 1, 11,
];
// (module (func (param v128) (result v128) (f64x2.relaxed_madd (local.get 0) (local.get 0) (local.get 0))))
const RELAXED_PROBE = [
  0, 97, 115, 109, 1, 0, 0, 0, 1, 6, 1, 96, 1, 123, 1, 123, 3, 2, 1, 0, 10, 13, 1, 11, 0, 32, 0, 32, 0, 32, 0, 253, 135,
  2, 11,
];

/** Linear memory above this is not attempted (i32 address arithmetic inside the module). */
const MAX_BYTES = 2 ** 31;
const PAGE = 65536;

function validates(bytes: number[]): boolean {
  try {
    return typeof WebAssembly === "object" && WebAssembly.validate(new Uint8Array(bytes));
  } catch {
    return false;
  }
}

let simdProbe: boolean | undefined;
let relaxedProbe: boolean | undefined;

/** True when this engine validates a WebAssembly module using SIMD128 f64x2 instructions. */
export function wasmSimdAvailable(): boolean {
  simdProbe ??= validates(SIMD_PROBE);
  return simdProbe;
}

/** True when this engine also supports relaxed SIMD (f64x2.relaxed_madd). */
export function wasmRelaxedSimdAvailable(): boolean {
  relaxedProbe ??= wasmSimdAvailable() && validates(RELAXED_PROBE);
  return relaxedProbe;
}

function decodeBase64(s: string): Uint8Array<ArrayBuffer> {
  // atob exists in browsers and Node ≥ 16, unlike Buffer; the modules are ~1 KB so speed is moot.
  const bin = atob(s);
  const bytes = new Uint8Array(new ArrayBuffer(bin.length));
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

interface Gemm {
  ex: GemmExports;
  mr: number;
  nr: number;
  kc: number;
  mc: number;
  nc: number;
}

const instances = new Map<WasmMatmulVariant, Gemm>();

function instantiate(variant: WasmMatmulVariant): Gemm {
  let g = instances.get(variant);
  if (g === undefined) {
    const bytes = decodeBase64(variant === "relaxed" ? MATMUL_WASM_RELAXED : MATMUL_WASM_SIMD);
    const ex = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as unknown as GemmExports;
    g = { ex, mr: ex.MR.value, nr: ex.NR.value, kc: ex.KC.value, mc: ex.MC.value, nc: ex.NC.value };
    instances.set(variant, g);
  }
  return g;
}

/**
 * Drops the compiled instances so their linear memory (which can only grow) can be garbage
 * collected, e.g. after one very large product. The next call re-instantiates (~1 ms).
 */
export function releaseWasmMatmulMemory(): void {
  instances.clear();
}

const align64 = (bytes: number): number => Math.ceil(bytes / 64) * 64;
const roundUp = (x: number, to: number): number => Math.ceil(x / to) * to;

function run(
  g: Gemm,
  a: Float64Array,
  aOff: number,
  b: Float64Array,
  bOff: number,
  out: Float64Array,
  outOff: number,
  m: number,
  k: number,
  n: number,
): boolean {
  const mp = roundUp(m, g.mr);
  const ldc = roundUp(n, g.nr);
  // Layout (byte offsets, 64-byte aligned so v128 accesses never split a cache line):
  // A | B | C (padded mp × ldc) | packed A block | packed B block.
  const oA = 0;
  const oB = align64(oA + m * k * 8);
  const oC = align64(oB + k * n * 8);
  const oPA = align64(oC + mp * ldc * 8);
  const oPB = align64(oPA + Math.min(g.mc, mp) * Math.min(g.kc, k) * 8);
  const end = oPB + Math.min(g.kc, k) * roundUp(Math.min(g.nc, n), g.nr) * 8;
  if (end > MAX_BYTES) return false;
  const mem = g.ex.memory;
  if (mem.buffer.byteLength < end) {
    try {
      mem.grow(Math.ceil((end - mem.buffer.byteLength) / PAGE));
    } catch {
      return false; // out of memory: let the caller fall back to JS
    }
  }
  // A fresh view every call: growing detaches the previous ArrayBuffer.
  const heap = new Float64Array(mem.buffer);
  heap.set(a.subarray(aOff, aOff + m * k), oA / 8);
  heap.set(b.subarray(bOff, bOff + k * n), oB / 8);
  heap.fill(0, oC / 8, oC / 8 + mp * ldc);
  g.ex.gemm(oA, oB, oC, m, k, n, oPA, oPB);
  const c = oC / 8;
  if (ldc === n) {
    out.set(heap.subarray(c, c + m * n), outOff);
  } else {
    for (let i = 0; i < m; i++) out.set(heap.subarray(c + i * ldc, c + i * ldc + n), outOff + i * n);
  }
  return true;
}

/**
 * Returns a matmul using the given compiled variant, or undefined if this engine cannot run
 * it. Exposed so tests can exercise both modules; normal callers want matmulWasm.
 */
export function wasmMatmulVariant(variant: WasmMatmulVariant): MatmulF64 | undefined {
  const ok = variant === "relaxed" ? wasmRelaxedSimdAvailable() : wasmSimdAvailable();
  if (!ok) return undefined;
  return (a, aOff, b, bOff, out, outOff, m, k, n) => {
    if (m === 0 || n === 0) return;
    if (k === 0) {
      out.fill(0, outOff, outOff + m * n);
      return;
    }
    if (!run(instantiate(variant), a, aOff, b, bOff, out, outOff, m, k, n)) {
      matmulJs(a, aOff, b, bOff, out, outOff, m, k, n);
    }
  };
}

let best: MatmulF64 | undefined;

/**
 * out[m×n] = a[m×k] · b[k×n] with the fastest available WebAssembly module (relaxed SIMD,
 * else SIMD128), falling back to matmulJs without SIMD. Row-major Float64Arrays at the given
 * offsets; out is overwritten. Results may differ from matmulJs in the last bits (different
 * summation order, and fused multiply-add under relaxed SIMD).
 */
export function matmulWasm(
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
  best ??= wasmMatmulVariant("relaxed") ?? wasmMatmulVariant("simd") ?? matmulJs;
  best(a, aOff, b, bOff, out, outOff, m, k, n);
}
