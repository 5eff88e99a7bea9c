// Picks the float64 matmul kernel by problem size. The WebAssembly kernel copies A and B into
// its linear memory and C back out, pads to 4×4 tiles and crosses the JS↔wasm boundary; for
// tiny products that fixed ~0.3 µs outweighs its ~4× faster inner loop, so they stay in JS.
import { ShapeError } from "../../errors.js";
import { type MatmulF64, matmulJs } from "./matmul-js.js";
import { type GemmStridedArgs, gemmStridedWasm, matmulWasm } from "./matmul-wasm.js";

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
export const matmulF64: MatmulF64 = (a, aOff, b, bOff, out, outOff, m, k, n) => {
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
};

/** C = beta·C + alpha·op(A)·op(B) on strided views, in plain JS (small products and the no-SIMD fallback). */
export function gemmStridedJs(g: GemmStridedArgs): void {
  const { m, n, k, alpha, a, aOff, lda, transA, b, bOff, ldb, transB, beta, c, cOff, ldc } = g;
  // Strides of op(A)[i, p] and op(B)[p, j] so one loop nest serves all four transpose cases.
  const ai = transA ? 1 : lda;
  const ap = transA ? lda : 1;
  const bp = transB ? 1 : ldb;
  const bj = transB ? ldb : 1;
  for (let i = 0; i < m; i++) {
    const ci = cOff + i * ldc;
    const ar = aOff + i * ai;
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0, x = ar, y = bOff + j * bj; p < k; p++, x += ap, y += bp) s += a[x]! * b[y]!;
      // beta = 0 overwrites (BLAS convention), so NaN/garbage already in C does not propagate.
      c[ci + j] = beta === 0 ? alpha * s : beta * c[ci + j]! + alpha * s;
    }
  }
}

/** Options of gemmF64: transposes, scalars, and the offsets and leading dimensions of the views. */
export interface GemmF64Options {
  /** Use Aᵀ: a then holds a k×m matrix (default false). */
  transA?: boolean;
  /** Use Bᵀ: b then holds an n×k matrix (default false). */
  transB?: boolean;
  /** Multiplier of the product (default 1; −1 gives C −= A·B). */
  alpha?: number;
  /** Multiplier of the existing out (default 0: out is overwritten without being read; 1 accumulates). */
  beta?: number;
  /** Index of the first element of each operand (default 0). */
  aOffset?: number;
  bOffset?: number;
  outOffset?: number;
  /** Row strides (leading dimensions); default: the number of columns as stored (k or m for a, n or k for b, n for out). */
  lda?: number;
  ldb?: number;
  ldOut?: number;
}

/**
 * General float64 GEMM on row-major Float64Arrays: out[m×n] = beta·out + alpha·op(a)·op(b), op(a) m×k and
 * op(b) k×n (BLAS dgemm semantics, row-major), always on the cpu kernels whatever the default backend
 * (factorisations in @x/linalg and friends build on this; a float32 accelerator must never enter them silently).
 * Without options it is the plain product out = a·b of contiguous operands (out, m·n, overwritten). The options
 * address blocks of larger matrices in place (offset + leading dimension per operand) and accumulate (beta 1,
 * alpha −1 gives out −= a·b), so a blocked factorization's trailing update A22 −= L21·L21ᵀ needs neither a
 * temporary product nor a separate subtraction pass. `out` is returned.
 */
export function gemmF64(
  a: Float64Array,
  b: Float64Array,
  m: number,
  k: number,
  n: number,
  out?: Float64Array,
  options?: GemmF64Options,
): Float64Array {
  const c = out ?? new Float64Array(m * n);
  if (options === undefined) {
    if (a.length < m * k || b.length < k * n || c.length < m * n) {
      throw new ShapeError(
        `gemmF64: need a ≥ ${m * k}, b ≥ ${k * n}, out ≥ ${m * n} elements; got ${a.length}, ${b.length}, ${c.length}`,
      );
    }
    if (m === 0 || n === 0) return c;
    if (k === 0) return c.fill(0, 0, m * n);
    matmulF64(a, 0, b, 0, c, 0, m, k, n);
    return c;
  }
  const {
    transA = false,
    transB = false,
    alpha = 1,
    beta = 0,
    aOffset = 0,
    bOffset = 0,
    outOffset = 0,
    lda = transA ? m : k,
    ldb = transB ? k : n,
    ldOut = n,
  } = options;
  for (const [name, v] of [
    ["m", m],
    ["k", k],
    ["n", n],
    ["aOffset", aOffset],
    ["bOffset", bOffset],
    ["outOffset", outOffset],
  ] as const) {
    if (!(Number.isInteger(v) && v >= 0)) throw new ShapeError(`gemmF64: ${name} must be an integer ≥ 0, got ${v}`);
  }
  const view = (arg: string, ldName: string, ld: number, cols: number, rows: number, off: number, len: number) => {
    if (!(Number.isInteger(ld) && ld >= cols)) {
      throw new ShapeError(
        `gemmF64: options.${ldName} must be an integer ≥ ${cols} (the row length of ${arg}), got ${ld}`,
      );
    }
    if (rows > 0 && cols > 0 && off + (rows - 1) * ld + cols > len) {
      throw new ShapeError(
        `gemmF64: the view of ${arg} (offset ${off}, ${rows}×${cols}, row stride ${ld}) ends past its ${len} elements`,
      );
    }
  };
  view("a", "lda", lda, transA ? m : k, transA ? k : m, aOffset, a.length);
  view("b", "ldb", ldb, transB ? k : n, transB ? n : k, bOffset, b.length);
  view("out", "ldOut", ldOut, n, m, outOffset, c.length);
  if (m === 0 || n === 0) return c;
  const g: GemmStridedArgs = {
    m,
    n,
    k,
    alpha,
    a,
    aOff: aOffset,
    lda,
    transA,
    b,
    bOff: bOffset,
    ldb,
    transB,
    beta,
    c,
    cOff: outOffset,
    ldc: ldOut,
  };
  if (k === 0 || alpha === 0) {
    // No product: out = beta·out (beta = 0 overwrites with zeros).
    for (let i = 0; i < m; i++) {
      const r = outOffset + i * ldOut;
      if (beta === 0) c.fill(0, r, r + n);
      else if (beta !== 1) for (let j = 0; j < n; j++) c[r + j]! *= beta;
    }
    return c;
  }
  // Same crossover as matmulF64; vectors waste a padded 4-wide tile, so they stay in JS too.
  if (m === 1 || n === 1 || m * k * n < WASM_MATMUL_THRESHOLD || !gemmStridedWasm(g)) gemmStridedJs(g);
  return c;
}
