// Matrix–vector products for the Householder reductions (gebrd-blocked.ts, sytrd-blocked.ts): half of their flops
// are A·x and Aᵀ·x with the trailing matrix, which read the whole matrix for two flops per entry, so they run at
// memory/load speed rather than at matmul speed. The WebAssembly SIMD kernels (tooling/reference/wasm/gemv.wat,
// f64x2 lanes, no bounds checks) do the same loops about twice as fast as V8's scalar code; they need their
// operands in the module's memory, so a reduction allocates its working arrays there (alloc) and copies the
// result out. The plain-JS kernels are the fallback where SIMD128 is missing and the reference the tests compare with.
import { instantiateSimdModule, WASM_MAX_BYTES, WASM_PAGE } from "@x/tensor";
import { GEMV_WASM_SIMD } from "./gemv-wasm-bytes.js";

/** The block a[r·n + c], r ∈ [r0, r1), c ∈ [c0, n), with x read from x[xo + ·] and y written at y[yo + ·]. */
export type MatVecOp = (
  a: Float64Array,
  n: number,
  r0: number,
  r1: number,
  c0: number,
  x: Float64Array,
  xo: number,
  y: Float64Array,
  yo: number,
) => void;

export interface MatVec {
  readonly backend: "wasm" | "js";
  /** y[yo + r] = Σ_c a[r·n + c]·x[xo + c] over the rows of the block. */
  gemv: MatVecOp;
  /** y[yo + c] += Σ_r x[xo + r]·a[r·n + c] over the columns of the block. */
  gemvT: MatVecOp;
  /**
   * Zeroed arrays of the given lengths that the kernels accept (views of the module memory for "wasm"). Each call
   * invalidates the arrays of the previous one.
   */
  alloc(lengths: readonly number[]): Float64Array[];
}

/**
 * gemv: four rows per pass share each load of x. gemvT: four rows per pass, so that each y entry is loaded and
 * stored once per four rows.
 */
const js: MatVec = {
  backend: "js",
  gemv(a, n, r0, r1, c0, x, xo, y, yo) {
    let r = r0;
    for (; r + 3 < r1; r += 4) {
      const a0 = r * n;
      const a1 = a0 + n;
      const a2 = a1 + n;
      const a3 = a2 + n;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let c = c0; c < n; c++) {
        const xc = x[xo + c]!;
        s0 += a[a0 + c]! * xc;
        s1 += a[a1 + c]! * xc;
        s2 += a[a2 + c]! * xc;
        s3 += a[a3 + c]! * xc;
      }
      y[yo + r] = s0;
      y[yo + r + 1] = s1;
      y[yo + r + 2] = s2;
      y[yo + r + 3] = s3;
    }
    for (; r < r1; r++) {
      const o = r * n;
      let s = 0;
      for (let c = c0; c < n; c++) s += a[o + c]! * x[xo + c]!;
      y[yo + r] = s;
    }
  },
  gemvT(a, n, r0, r1, c0, x, xo, y, yo) {
    let r = r0;
    for (; r + 3 < r1; r += 4) {
      const x0 = x[xo + r]!;
      const x1 = x[xo + r + 1]!;
      const x2 = x[xo + r + 2]!;
      const x3 = x[xo + r + 3]!;
      const a0 = r * n;
      const a1 = a0 + n;
      const a2 = a1 + n;
      const a3 = a2 + n;
      for (let c = c0; c < n; c++) y[yo + c]! += x0 * a[a0 + c]! + x1 * a[a1 + c]! + x2 * a[a2 + c]! + x3 * a[a3 + c]!;
    }
    for (; r < r1; r++) {
      const xr = x[xo + r]!;
      const o = r * n;
      for (let c = c0; c < n; c++) y[yo + c]! += xr * a[o + c]!;
    }
  },
  alloc: (lengths) => lengths.map((l) => new Float64Array(l)),
};

interface GemvExports {
  memory: WebAssembly.Memory;
  gemv(pa: number, n: number, r0: number, r1: number, c0: number, px: number, py: number): void;
  gemvT(pa: number, n: number, r0: number, r1: number, c0: number, px: number, py: number): void;
}

let instance: GemvExports | null | undefined;

function wasmInstance(): GemvExports | null {
  if (instance === undefined) instance = instantiateSimdModule<GemvExports>(GEMV_WASM_SIMD);
  return instance;
}

function wasmMatVec(ex: GemvExports): MatVec {
  return {
    backend: "wasm",
    gemv: (a, n, r0, r1, c0, x, xo, y, yo) =>
      ex.gemv(a.byteOffset, n, r0, r1, c0, x.byteOffset + 8 * xo, y.byteOffset + 8 * yo),
    gemvT: (a, n, r0, r1, c0, x, xo, y, yo) =>
      ex.gemvT(a.byteOffset, n, r0, r1, c0, x.byteOffset + 8 * xo, y.byteOffset + 8 * yo),
    alloc(lengths) {
      // Consecutive 16-byte aligned arrays from offset 0 (matVec has already grown the memory for them).
      const offs: number[] = [];
      let end = 0;
      for (const l of lengths) {
        offs.push(end);
        end += Math.ceil((8 * l) / 16) * 16;
      }
      const have = ex.memory.buffer.byteLength;
      if (end > have) ex.memory.grow(Math.ceil((end - have) / WASM_PAGE));
      const views = lengths.map((l, i) => new Float64Array(ex.memory.buffer, offs[i], l));
      for (const v of views) v.fill(0);
      return views;
    },
  };
}

/**
 * The kernels: "wasm" when the engine has SIMD128 and `bytes` (the caller's total allocation) fits in the module
 * memory, else "js". `kind` forces one (tests); "wasm" without SIMD128 still returns the JS kernels.
 */
export function matVec(bytes: number, kind: "auto" | "wasm" | "js" = "auto"): MatVec {
  if (kind === "js" || bytes > WASM_MAX_BYTES) return js;
  const ex = wasmInstance();
  if (!ex) return js;
  try {
    const have = ex.memory.buffer.byteLength;
    if (bytes + 16 * 16 > have) ex.memory.grow(Math.ceil((bytes + 16 * 16 - have) / WASM_PAGE));
  } catch {
    return js; // memory could not grow
  }
  return wasmMatVec(ex);
}
