// In-place block GEMM for the dense factorizations: C += alpha·op(A)·op(B) where A, B and C are blocks of one
// Float64Array (offset + row stride each), the shape of every update in a recursive or blocked Cholesky, LU or
// triangular solve. When that array is a view of the work area of the WebAssembly module
// (tooling/reference/wasm/block-gemm.wat: Goto–van de Geijn packing around the 4×4 SIMD kernel of @x/tensor's
// matmul), the update runs there on the blocks in place. @x/tensor's gemmF64 instead copies A, B and C into its
// own module memory and C back out on every call — at n = 1000 those copies were ~1/5 of a Cholesky. Any other
// array (or an engine without SIMD128) goes through gemmF64, the reference the tests compare against.
import { gemmF64, instantiateSimdModule, WASM_MAX_BYTES, WASM_PAGE } from "@x/tensor";
import { BLOCK_GEMM_WASM_SIMD } from "./block-gemm-wasm-bytes.js";

export interface BlockGemmOptions {
  /** Multiplier of the product (default 1; −1 gives C −= op(A)·op(B)). */
  alpha?: number;
  /** Read A transposed: its view then holds a k×m matrix (default false). */
  transA?: boolean;
  /** Read B transposed: its view then holds an n×k matrix (default false). */
  transB?: boolean;
  aOffset: number;
  lda: number;
  bOffset: number;
  ldb: number;
  outOffset: number;
  ldOut: number;
}

interface BlockGemmExports {
  memory: WebAssembly.Memory;
  gemm: (
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: number,
    lda: number,
    ta: number,
    b: number,
    ldb: number,
    tb: number,
    c: number,
    ldc: number,
  ) => void;
  WORK: WebAssembly.Global;
}

/** m·k·n below which the call overhead and 4×4 padding outweigh SIMD (same crossover as @x/tensor's gemmF64). */
const MIN_FLOPS = 1024;

let instance: BlockGemmExports | null | undefined;

function loadModule(): BlockGemmExports | null {
  if (instance === undefined) instance = instantiateSimdModule<BlockGemmExports>(BLOCK_GEMM_WASM_SIMD);
  return instance;
}

/**
 * A view of `doubles` elements of the module's work area, where blockGemm runs in WebAssembly, or null when the
 * engine has no SIMD128 or memory cannot grow that far (then work in an ordinary Float64Array). Each call may grow
 * the memory and so detach the views handed out before: use one view per factorization, then copy the result out.
 */
export function workArea(doubles: number): Float64Array | null {
  const ex = loadModule();
  if (ex === null) return null;
  const base = ex.WORK.value as number;
  const end = base + doubles * 8;
  if (end > WASM_MAX_BYTES) return null;
  const have = ex.memory.buffer.byteLength;
  if (have < end) {
    try {
      ex.memory.grow(Math.ceil((end - have) / WASM_PAGE));
    } catch {
      return null;
    }
  }
  return new Float64Array(ex.memory.buffer, base, doubles);
}

/**
 * C += alpha·op(A)·op(B), op(A) m×k and op(B) k×n, on blocks of `a` given by offsets and row strides; C must not
 * overlap A or B. In WebAssembly when `a` is a view from workArea, else through @x/tensor's gemmF64.
 */
export function blockGemm(a: Float64Array, m: number, k: number, n: number, o: BlockGemmOptions): void {
  if (m === 0 || n === 0 || k === 0) return;
  const alpha = o.alpha ?? 1;
  const ex = instance;
  if (ex && a.buffer === ex.memory.buffer && m > 1 && n > 1 && m * k * n >= MIN_FLOPS) {
    const base = a.byteOffset;
    ex.gemm(
      m,
      n,
      k,
      alpha,
      base + o.aOffset * 8,
      o.lda * 8,
      o.transA ? 1 : 0,
      base + o.bOffset * 8,
      o.ldb * 8,
      o.transB ? 1 : 0,
      base + o.outOffset * 8,
      o.ldOut * 8,
    );
    return;
  }
  gemmF64(a, a, m, k, n, a, { ...o, alpha, beta: 1 });
}
