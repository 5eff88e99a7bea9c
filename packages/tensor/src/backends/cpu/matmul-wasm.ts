// WebAssembly SIMD float64 GEMM: out[m×n] = a[m×k] · b[k×n], all row-major and contiguous, and the in-place
// update C = beta·C + alpha·op(A)·op(B) on strided views (gemmStridedWasm) on the same module.
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

import { decodeWasmBase64, WASM_MAX_BYTES, WASM_PAGE, wasmSimdAvailable, wasmValidates } from "../../wasm-simd.js";
import { type MatmulF64, matmulJs } from "./matmul-js.js";
import { MATMUL_WASM_RELAXED, MATMUL_WASM_SIMD } from "./matmul-wasm-bytes.js";

export type { MatmulF64 };

/** Which compiled module to use: "relaxed" (f64x2.relaxed_madd) or "simd" (mul + add). */
export type WasmMatmulVariant = "relaxed" | "simd";

interface GemmExports {
  memory: WebAssembly.Memory;
  gemm: (a: number, b: number, c: number, m: number, k: number, n: number, pa: number, pb: number) => void;
  MR: WebAssembly.Global;
  NR: WebAssembly.Global;
  KC: WebAssembly.Global;
  MC: WebAssembly.Global;
  NC: WebAssembly.Global;
}

// (module (func (param v128) (result v128) (f64x2.relaxed_madd (local.get 0) (local.get 0) (local.get 0))))
const RELAXED_PROBE = [
  0, 97, 115, 109, 1, 0, 0, 0, 1, 6, 1, 96, 1, 123, 1, 123, 3, 2, 1, 0, 10, 13, 1, 11, 0, 32, 0, 32, 0, 32, 0, 253, 135,
  2, 11,
];

let relaxedProbe: boolean | undefined;

export { wasmSimdAvailable };

/** True when this engine also supports relaxed SIMD (f64x2.relaxed_madd). */
export function wasmRelaxedSimdAvailable(): boolean {
  relaxedProbe ??= wasmSimdAvailable() && wasmValidates(RELAXED_PROBE);
  return relaxedProbe;
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
    const bytes = decodeWasmBase64(variant === "relaxed" ? MATMUL_WASM_RELAXED : MATMUL_WASM_SIMD);
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

/** Byte offsets of one product's operands in the module's linear memory, and a fresh view of it. */
interface Workspace {
  heap: Float64Array;
  oA: number;
  oB: number;
  oC: number;
  oPA: number;
  oPB: number;
  /** Rows of the padded C (m rounded up to the micro-kernel's MR). */
  mp: number;
  /** Row stride of the padded C (n rounded up to NR). */
  ldc: number;
}

/**
 * Lays out A (m×k) | B (k×n) | C (padded to whole MR×NR tiles) | packed A block | packed B block, 64-byte aligned
 * so v128 accesses never split a cache line, and grows the memory to fit; null when it cannot (the caller then
 * falls back to JS).
 */
function workspace(g: Gemm, m: number, k: number, n: number): Workspace | null {
  const mp = roundUp(m, g.mr);
  const ldc = roundUp(n, g.nr);
  const oA = 0;
  const oB = align64(oA + m * k * 8);
  const oC = align64(oB + k * n * 8);
  const oPA = align64(oC + mp * ldc * 8);
  const oPB = align64(oPA + Math.min(g.mc, mp) * Math.min(g.kc, k) * 8);
  const end = oPB + Math.min(g.kc, k) * roundUp(Math.min(g.nc, n), g.nr) * 8;
  if (end > WASM_MAX_BYTES) return null;
  const mem = g.ex.memory;
  if (mem.buffer.byteLength < end) {
    try {
      mem.grow(Math.ceil((end - mem.buffer.byteLength) / WASM_PAGE));
    } catch {
      return null; // out of memory
    }
  }
  // A fresh view every call: growing detaches the previous ArrayBuffer.
  return { heap: new Float64Array(mem.buffer), oA, oB, oC, oPA, oPB, mp, ldc };
}

function run(g: Gemm, ...[a, aOff, b, bOff, out, outOff, m, k, n]: Parameters<MatmulF64>): boolean {
  const ws = workspace(g, m, k, n);
  if (ws === null) return false;
  const { heap, oA, oB, oC, oPA, oPB, mp, ldc } = ws;
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

/**
 * Operands of the general (BLAS dgemm-like) update C = beta·C + alpha·op(A)·op(B): each matrix is a
 * row-major view with its own offset and leading dimension (row stride), so blocks of a larger matrix
 * are used in place; transA/transB read A or B transposed (op(A) is m×k, op(B) is k×n).
 */
export interface GemmStridedArgs {
  m: number;
  n: number;
  k: number;
  alpha: number;
  a: Float64Array;
  aOff: number;
  lda: number;
  transA: boolean;
  b: Float64Array;
  bOff: number;
  ldb: number;
  transB: boolean;
  beta: number;
  c: Float64Array;
  cOff: number;
  ldc: number;
}

/**
 * C = beta·C + alpha·op(A)·op(B) through the wasm module, or false when this engine has no SIMD or
 * the linear memory cannot grow (the caller then uses a JS loop). The module itself only does
 * C += A·B on a padded contiguous C, so the scaling and transposes are folded into the copies that
 * have to happen anyway: alpha into the copy of A, beta and the strided rows of C into the copy of C
 * (beta = 0 overwrites, as in BLAS, so NaN in C does not leak). This removes, compared with gemm
 * into a temporary followed by a subtraction, one m×n allocation, its zero fill and one full pass.
 * Requires m, n, k ≥ 1.
 */
export function gemmStridedWasm(g: GemmStridedArgs): boolean {
  const variant: WasmMatmulVariant | undefined = wasmRelaxedSimdAvailable()
    ? "relaxed"
    : wasmSimdAvailable()
      ? "simd"
      : undefined;
  if (variant === undefined) return false;
  const gm = instantiate(variant);
  const { m, n, k, alpha, a, aOff, lda, transA, b, bOff, ldb, transB, beta, c, cOff, ldc } = g;
  const ws = workspace(gm, m, k, n);
  if (ws === null) return false;
  const { heap, oA, oB, oC, oPA, oPB, mp, ldc: ldw } = ws;
  // alpha goes into whichever copy is an element-by-element loop anyway: a transposed B when A is a plain
  // row copy (heap.set, several times faster than a scaling loop), else A.
  const sb = transB && !transA ? alpha : 1;
  const sa = sb === 1 ? alpha : 1;
  // A (m×k contiguous) = sa·op(A).
  let d = oA / 8;
  if (!transA) {
    for (let i = 0; i < m; i++) {
      const r = aOff + i * lda;
      if (sa === 1) heap.set(a.subarray(r, r + k), d);
      else for (let p = 0; p < k; p++) heap[d + p] = sa * a[r + p]!;
      d += k;
    }
  } else {
    for (let i = 0; i < m; i++) {
      for (let p = 0, s = aOff + i; p < k; p++, s += lda) heap[d + p] = sa * a[s]!;
      d += k;
    }
  }
  // B (k×n contiguous) = sb·op(B).
  d = oB / 8;
  if (!transB) {
    for (let p = 0; p < k; p++) {
      const r = bOff + p * ldb;
      heap.set(b.subarray(r, r + n), d);
      d += n;
    }
  } else {
    // op(B)[p, j] = B[j, p]: 8 rows of B at a time, so every write fills a 64-byte line of op(B) while the 8
    // reads stream along rows of B (a column-at-a-time scatter misses cache on every write once k·n is large).
    let j = 0;
    for (; j + 8 <= n; j += 8) {
      const r = bOff + j * ldb;
      for (let p = 0, t = d + j; p < k; p++, t += n) {
        const q = r + p;
        heap[t] = sb * b[q]!;
        heap[t + 1] = sb * b[q + ldb]!;
        heap[t + 2] = sb * b[q + 2 * ldb]!;
        heap[t + 3] = sb * b[q + 3 * ldb]!;
        heap[t + 4] = sb * b[q + 4 * ldb]!;
        heap[t + 5] = sb * b[q + 5 * ldb]!;
        heap[t + 6] = sb * b[q + 6 * ldb]!;
        heap[t + 7] = sb * b[q + 7 * ldb]!;
      }
    }
    for (; j < n; j++) {
      const r = bOff + j * ldb;
      for (let p = 0, t = d + j; p < k; p++, t += n) heap[t] = sb * b[r + p]!;
    }
  }
  // C (mp × ldw, padded) = beta·C; padding rows/columns are zeroed so they never hold NaN.
  const oc = oC / 8;
  for (let i = 0; i < m; i++) {
    const r = cOff + i * ldc;
    const w = oc + i * ldw;
    if (beta === 0) heap.fill(0, w, w + ldw);
    else {
      if (beta === 1) heap.set(c.subarray(r, r + n), w);
      else for (let j = 0; j < n; j++) heap[w + j] = beta * c[r + j]!;
      if (ldw > n) heap.fill(0, w + n, w + ldw);
    }
  }
  if (mp > m) heap.fill(0, oc + m * ldw, oc + mp * ldw);
  gm.ex.gemm(oA, oB, oC, m, k, n, oPA, oPB);
  for (let i = 0; i < m; i++) {
    const w = oc + i * ldw;
    c.set(heap.subarray(w, w + n), cOff + i * ldc);
  }
  return true;
}

let best: MatmulF64 | undefined;

/**
 * out[m×n] = a[m×k] · b[k×n] with the fastest available WebAssembly module (relaxed SIMD,
 * else SIMD128), falling back to matmulJs without SIMD. Row-major Float64Arrays at the given
 * offsets; out is overwritten. Results may differ from matmulJs in the last bits (different
 * summation order, and fused multiply-add under relaxed SIMD).
 */
export const matmulWasm: MatmulF64 = (a, aOff, b, bOff, out, outOff, m, k, n) => {
  best ??= wasmMatmulVariant("relaxed") ?? wasmMatmulVariant("simd") ?? matmulJs;
  best(a, aOff, b, bOff, out, outOff, m, k, n);
};
