// Log-domain Sinkhorn: alternate exact row / column fits of the dual potentials with log-sum-exp.
// Method: Peyré & Cuturi, "Computational Optimal Transport" (2019), §4.4; POT's sinkhorn_log.
// Each log-sum-exp is shifted by the current potential (then P_ij ≤ ~1 near the optimum), which
// needs a single pass; it falls back to the row/column maximum when that shift under/overflows.
// The n1·n2 exp-sums run in the WebAssembly SIMD kernel of internal/exp-sum-wasm.ts (Math.exp-bound
// otherwise); `expBackend: "js"` keeps the plain-JS loops.
import { type ExpSumKernel, expSumKernel } from "./internal/exp-sum-wasm.js";
import {
  marginalError,
  planFromPotentials,
  type SinkhornCoreOptions,
  type SinkhornCoreResult,
} from "./sinkhorn-types.js";

export function sinkhornLog(
  a: Float64Array,
  b: Float64Array,
  M: Float64Array,
  reg: number,
  opts: SinkhornCoreOptions,
): SinkhornCoreResult {
  const n1 = a.length;
  const n2 = b.length;
  const f = opts.f0 ? Float64Array.from(opts.f0) : new Float64Array(n1);
  const g = opts.g0 ? Float64Array.from(opts.g0) : new Float64Array(n2);
  const loga = Float64Array.from(a, (x) => reg * Math.log(x));
  const logb = Float64Array.from(b, (x) => reg * Math.log(x));
  const inv = 1 / reg;
  const kernel = expSumKernel(M, n1, n2, opts.expBackend);
  const rs = new Float64Array(n1);
  const s = new Float64Array(n2);
  const ls = new Float64Array(n2);
  const errors: number[] = [];
  let status: SinkhornCoreResult["status"] = "maxIterReached";
  let it = 0;
  while (it < opts.maxIter) {
    // Row update f_i = reg log a_i − reg log Σ_j exp((g_j − M_ij)/reg). Row i's sum uses only f_i,
    // so all sums can be taken first with the current f.
    kernel.rowSums(f, g, inv, rs);
    for (let i = 0; i < n1; i++) {
      const o = i * n2;
      const fi = f[i]!;
      const sum = rs[i]!;
      if (sum > 1e-280 && sum < 1e280) {
        f[i] = fi + loga[i]! - reg * Math.log(sum);
      } else {
        let mx = Number.NEGATIVE_INFINITY;
        for (let j = 0; j < n2; j++) mx = Math.max(mx, (g[j]! - M[o + j]!) * inv);
        let s2 = 0;
        for (let j = 0; j < n2; j++) s2 += Math.exp((g[j]! - M[o + j]!) * inv - mx);
        f[i] = loga[i]! - reg * (mx + Math.log(s2));
      }
    }
    it++;
    // Column sums of the current plan, shifted by g_j: s_j = Σ_i exp((f_i + g_j − M_ij)/reg).
    colLogSums(kernel, f, g, M, inv, ls);
    for (let j = 0; j < n2; j++) s[j] = Math.exp(ls[j]!);
    const err = marginalError(s, b);
    errors.push(err);
    if (Number.isNaN(err)) {
      status = "numericalError";
      break;
    }
    if (err < opts.tol) {
      status = "converged";
      break;
    }
    for (let j = 0; j < n2; j++) g[j] = g[j]! + logb[j]! - reg * ls[j]!;
  }
  return { plan: planFromPotentials(f, g, M, reg), f, g, iterations: it, errors, status };
}

/** ls_j = log Σ_i exp((f_i + g_j − M_ij)/reg): one shifted pass, max-shifted again where out of range. */
function colLogSums(
  kernel: ExpSumKernel,
  f: Float64Array,
  g: Float64Array,
  M: Float64Array,
  inv: number,
  ls: Float64Array,
): void {
  const n1 = f.length;
  const n2 = g.length;
  kernel.colSums(f, g, inv, ls);
  for (let j = 0; j < n2; j++) {
    const sj = ls[j]!;
    if (sj > 1e-280 && sj < 1e280) {
      ls[j] = Math.log(sj);
      continue;
    }
    let mx = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n1; i++) mx = Math.max(mx, (f[i]! + g[j]! - M[i * n2 + j]!) * inv);
    let t = 0;
    for (let i = 0; i < n1; i++) t += Math.exp((f[i]! + g[j]! - M[i * n2 + j]!) * inv - mx);
    ls[j] = mx + Math.log(t);
  }
}
