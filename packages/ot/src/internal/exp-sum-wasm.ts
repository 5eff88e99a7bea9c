// Row and column sums of exp((f_i + g_j − M_ij)·inv) over a fixed cost matrix: the two n1·n2
// passes of a log-domain Sinkhorn iteration. Math.exp costs tens of ns per call, so these run in a
// WebAssembly SIMD module (tooling/reference/wasm/exp-sum.wat: Cephes' exp on f64x2 lanes, a few
// ulp from Math.exp) when the engine has SIMD128, and in the plain-JS loops below otherwise. The JS
// kernel is the reference the tests compare the wasm one against.
//
// M is copied once into the module's linear memory with rows padded to an even length (padding:
// M = +∞, g = 0, so e^(−∞) = 0 adds nothing); each sum then costs one call per row.
import { compileSimdModule, WASM_MAX_BYTES, WASM_PAGE } from "@x/tensor";
import { EXP_SUM_WASM_SIMD } from "./exp-sum-wasm-bytes.js";

export type ExpSumBackend = "wasm" | "js";

export interface ExpSumKernel {
  readonly backend: ExpSumBackend;
  /** out_i = Σ_j exp((f_i + g_j − M_ij)·inv). */
  rowSums(f: Float64Array, g: Float64Array, inv: number, out: Float64Array): void;
  /** out_j = Σ_i exp((f_i + g_j − M_ij)·inv). */
  colSums(f: Float64Array, g: Float64Array, inv: number, out: Float64Array): void;
  /**
   * One fused pass: for each row i, r_i = Σ_j e_ij with e_ij = exp((f_i + g_j − M_ij)·inv), then s_i = scale(i, r_i)
   * and colOut_j += s_i·e_ij (colOut is zeroed first). With s_i = exp((f'_i − f_i)·inv) this gives the column sums
   * under the updated row potentials f' without a second exp pass.
   */
  rowSumsScaledCols(
    f: Float64Array,
    g: Float64Array,
    inv: number,
    scale: (i: number, rowSum: number) => number,
    colOut: Float64Array,
  ): void;
  /** out_ij = exp((f_i + g_j − M_ij)·inv) (row-major n1×n2). */
  expMatrix(f: Float64Array, g: Float64Array, inv: number, out: Float64Array): void;
}

interface ExpSumExports {
  memory: WebAssembly.Memory;
  rowExpStore: (pm: number, pg: number, pb: number, n: number, fi: number, inv: number) => number;
  axpy: (pb: number, po: number, n: number, s: number) => void;
}

let compiled: WebAssembly.Module | null | undefined;

function wasmModule(): WebAssembly.Module | null {
  if (compiled === undefined) compiled = compileSimdModule(EXP_SUM_WASM_SIMD);
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
    rowSumsScaledCols(f, g, inv, scale, colOut) {
      colOut.fill(0, 0, n2);
      const e = new Float64Array(n2);
      for (let i = 0; i < n1; i++) {
        const o = i * n2;
        const fi = f[i]!;
        let r = 0;
        for (let j = 0; j < n2; j++) {
          e[j] = Math.exp((fi + g[j]! - M[o + j]!) * inv);
          r += e[j]!;
        }
        const si = scale(i, r);
        if (si !== 0) for (let j = 0; j < n2; j++) colOut[j] = colOut[j]! + si * e[j]!;
      }
    },
    expMatrix(f, g, inv, out) {
      for (let i = 0; i < n1; i++) {
        const o = i * n2;
        const fi = f[i]!;
        for (let j = 0; j < n2; j++) out[o + j] = Math.exp((fi + g[j]! - M[o + j]!) * inv);
      }
    },
  };
}

/**
 * One module instance is shared by all kernels (instantiating and growing a fresh 8 MB memory per solve cost more than
 * a 1000×1000 Sinkhorn iteration). A kernel re-uploads its M whenever another kernel used the memory since.
 */
let shared: { ex: ExpSumExports; owner: object | null } | null = null;

function sharedInstance(mod: WebAssembly.Module, bytes: number): { ex: ExpSumExports; owner: object | null } | null {
  try {
    shared ??= { ex: new WebAssembly.Instance(mod, {}).exports as unknown as ExpSumExports, owner: null };
    const need = Math.ceil(bytes / WASM_PAGE) - shared.ex.memory.buffer.byteLength / WASM_PAGE;
    if (need > 0) shared.ex.memory.grow(need);
    return shared;
  } catch {
    return null; // memory could not grow: the caller uses the JS kernel
  }
}

function expSumKernelWasm(mod: WebAssembly.Module, M: Float64Array, n1: number, n2: number): ExpSumKernel | null {
  const n2p = n2 + (n2 & 1);
  // Layout (bytes, all 16-aligned): M (n1·n2p) | g (n2p) | out (n2p) | buf (n2p).
  const mBytes = n1 * n2p * 8;
  const total = mBytes + 3 * n2p * 8;
  if (total > WASM_MAX_BYTES) return null;
  const inst = sharedInstance(mod, total);
  if (!inst) return null;
  const ex = inst.ex;
  const pg = mBytes;
  const po = mBytes + n2p * 8;
  const pb = mBytes + 2 * n2p * 8;
  const token = {};
  /** A view of the module memory holding this kernel's M (uploaded again if another kernel used the memory). */
  const view = (): Float64Array => {
    const mem = new Float64Array(ex.memory.buffer);
    if (inst.owner === token) return mem;
    for (let i = 0; i < n1; i++) {
      mem.set(M.subarray(i * n2, (i + 1) * n2), i * n2p);
      if (n2p !== n2) mem[i * n2p + n2] = Number.POSITIVE_INFINITY;
    }
    mem[pg / 8 + n2] = 0;
    inst.owner = token;
    return mem;
  };
  view();
  const rowStride = n2p * 8;
  return {
    backend: "wasm",
    rowSums(f, g, inv, out) {
      view().set(g.subarray(0, n2), pg / 8);
      for (let i = 0; i < n1; i++) out[i] = ex.rowExpStore(i * rowStride, pg, pb, n2p, f[i]!, inv);
    },
    rowSumsScaledCols(f, g, inv, scale, colOut) {
      const m = view();
      m.set(g.subarray(0, n2), pg / 8);
      m.fill(0, po / 8, po / 8 + n2p);
      for (let i = 0; i < n1; i++) {
        const si = scale(i, ex.rowExpStore(i * rowStride, pg, pb, n2p, f[i]!, inv));
        if (si !== 0) ex.axpy(pb, po, n2p, si);
      }
      colOut.set(m.subarray(po / 8, po / 8 + n2));
    },
    expMatrix(f, g, inv, out) {
      const m = view();
      m.set(g.subarray(0, n2), pg / 8);
      for (let i = 0; i < n1; i++) {
        ex.rowExpStore(i * rowStride, pg, pb, n2p, f[i]!, inv);
        out.set(m.subarray(pb / 8, pb / 8 + n2), i * n2);
      }
    },
    colSums(f, g, inv, out) {
      const m = view();
      m.set(g.subarray(0, n2), pg / 8);
      m.fill(0, po / 8, po / 8 + n2p);
      // out_j += 1·e_ij is exactly out_j + e_ij: the row kernel and axpy serve here too.
      for (let i = 0; i < n1; i++) {
        ex.rowExpStore(i * rowStride, pg, pb, n2p, f[i]!, inv);
        ex.axpy(pb, po, n2p, 1);
      }
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
