// Row and column sums of exp((f_i + g_j − M_ij)·inv) over a fixed cost matrix: the two n1·n2
// passes of a log-domain Sinkhorn iteration. Math.exp costs tens of ns per call, so these run in a
// WebAssembly SIMD module (tooling/reference/wasm/exp-sum.wat: Cephes' exp on f64x2 lanes, a few
// ulp from Math.exp) when the engine has SIMD128, and in the plain-JS loops below otherwise. The JS
// kernel is the reference the tests compare the wasm one against.
//
// M is copied once into the module's linear memory with rows padded to an even length (padding:
// M = +∞, g = 0, so e^(−∞) = 0 adds nothing); each sum then costs one call per row.
import { EXP_SUM_WASM_SIMD } from "./exp-sum-wasm-bytes.js";

export type ExpSumBackend = "wasm" | "js";

export interface ExpSumKernel {
  readonly backend: ExpSumBackend;
  /** out_i = Σ_j exp((f_i + g_j − M_ij)·inv). */
  rowSums(f: Float64Array, g: Float64Array, inv: number, out: Float64Array): void;
  /** out_j = Σ_i exp((f_i + g_j − M_ij)·inv). */
  colSums(f: Float64Array, g: Float64Array, inv: number, out: Float64Array): void;
}

interface ExpSumExports {
  memory: WebAssembly.Memory;
  rowExpSum: (pm: number, pg: number, n: number, fi: number, inv: number) => number;
  colExpAcc: (pm: number, pg: number, po: number, n: number, fi: number, inv: number) => void;
}

// (module (func (param v128) (result v128) (f64x2.mul (local.get 0) (local.get 0))))
const SIMD_PROBE = [
  0, 97, 115, 109, 1, 0, 0, 0, 1, 6, 1, 96, 1, 123, 1, 123, 3, 2, 1, 0, 10, 11, 1, 9, 0, 32, 0, 32, 0, 253, 242, 1, 11,
];
const PAGE = 65536;
/** Linear memory above this is not attempted (i32 byte offsets inside the module). */
const MAX_BYTES = 2 ** 31 - PAGE;

let compiled: WebAssembly.Module | null | undefined;

function wasmModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  try {
    if (typeof WebAssembly === "object" && WebAssembly.validate(new Uint8Array(SIMD_PROBE))) {
      const bin =
        typeof Buffer !== "undefined"
          ? Uint8Array.from(Buffer.from(EXP_SUM_WASM_SIMD, "base64"))
          : Uint8Array.from(atob(EXP_SUM_WASM_SIMD), (c) => c.charCodeAt(0));
      compiled = new WebAssembly.Module(bin);
    }
  } catch {
    compiled = null;
  }
  return compiled;
}

/** The plain-JS kernel (Math.exp), in the same operation order as the wasm one. */
export function expSumKernelJs(M: Float64Array, n1: number, n2: number): ExpSumKernel {
  return {
    backend: "js",
    rowSums(f, g, inv, out) {
      for (let i = 0; i < n1; i++) {
        const o = i * n2;
        const fi = f[i]!;
        let s = 0;
        for (let j = 0; j < n2; j++) s += Math.exp((fi + g[j]! - M[o + j]!) * inv);
        out[i] = s;
      }
    },
    colSums(f, g, inv, out) {
      out.fill(0, 0, n2);
      for (let i = 0; i < n1; i++) {
        const o = i * n2;
        const fi = f[i]!;
        for (let j = 0; j < n2; j++) out[j] = out[j]! + Math.exp((fi + g[j]! - M[o + j]!) * inv);
      }
    },
  };
}

function expSumKernelWasm(mod: WebAssembly.Module, M: Float64Array, n1: number, n2: number): ExpSumKernel | null {
  const n2p = n2 + (n2 & 1);
  // Layout (bytes, all 16-aligned): M (n1·n2p) | g (n2p) | out (n2p).
  const mBytes = n1 * n2p * 8;
  const total = mBytes + 2 * n2p * 8;
  if (total > MAX_BYTES) return null;
  let ex: ExpSumExports;
  try {
    ex = new WebAssembly.Instance(mod, {}).exports as unknown as ExpSumExports;
    const need = Math.ceil(total / PAGE) - ex.memory.buffer.byteLength / PAGE;
    if (need > 0) ex.memory.grow(need);
  } catch {
    return null; // memory could not grow: the caller uses the JS kernel
  }
  const pg = mBytes;
  const po = mBytes + n2p * 8;
  const view = () => new Float64Array(ex.memory.buffer);
  const mem = view();
  for (let i = 0; i < n1; i++) {
    mem.set(M.subarray(i * n2, (i + 1) * n2), i * n2p);
    if (n2p !== n2) mem[i * n2p + n2] = Number.POSITIVE_INFINITY;
  }
  mem[pg / 8 + n2] = 0;
  const rowStride = n2p * 8;
  return {
    backend: "wasm",
    rowSums(f, g, inv, out) {
      view().set(g.subarray(0, n2), pg / 8);
      for (let i = 0; i < n1; i++) out[i] = ex.rowExpSum(i * rowStride, pg, n2p, f[i]!, inv);
    },
    colSums(f, g, inv, out) {
      const m = view();
      m.set(g.subarray(0, n2), pg / 8);
      m.fill(0, po / 8, po / 8 + n2p);
      for (let i = 0; i < n1; i++) ex.colExpAcc(i * rowStride, pg, po, n2p, f[i]!, inv);
      out.set(m.subarray(po / 8, po / 8 + n2));
    },
  };
}

/** Below this many cost entries a wasm instance (memory + copy of M) costs more than it saves. */
const AUTO_MIN_ENTRIES = 1024;

/**
 * A kernel over the row-major n1×n2 cost M. "js" forces Math.exp; "wasm" uses WebAssembly SIMD when
 * the engine has it (and the problem fits in 2 GiB); "auto" (default) does so from 1024 entries on.
 */
export function expSumKernel(
  M: Float64Array,
  n1: number,
  n2: number,
  backend: ExpSumBackend | "auto" = "auto",
): ExpSumKernel {
  if (backend === "wasm" || (backend === "auto" && n1 * n2 >= AUTO_MIN_ENTRIES)) {
    const mod = wasmModule();
    const k = mod ? expSumKernelWasm(mod, M, n1, n2) : null;
    if (k) return k;
  }
  return expSumKernelJs(M, n1, n2);
}
