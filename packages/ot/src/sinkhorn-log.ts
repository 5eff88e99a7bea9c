// Log-domain Sinkhorn: alternate exact row / column fits of the dual potentials with log-sum-exp.
// Method: Peyré & Cuturi, "Computational Optimal Transport" (2019), §4.4; POT's sinkhorn_log.
// Each log-sum-exp is shifted by the current potential (then P_ij ≤ ~1 near the optimum), which
// needs a single pass; it falls back to the row/column maximum when that shift under/overflows.
// Each iteration is ONE n1·n2 exp pass (row sums, then the column sums of the row-updated plan by rescaling the
// same exponentials), in the WebAssembly SIMD kernel of internal/exp-sum-wasm.ts (Math.exp-bound otherwise);
// `expBackend: "js"` keeps the plain-JS loops.
import { expSumKernel } from "./internal/exp-sum-wasm.js";
import { marginalError, type SinkhornCoreOptions, type SinkhornCoreResult } from "./sinkhorn-types.js";

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
  const cs = new Float64Array(n2);
  const s = new Float64Array(n2);
  const ls = new Float64Array(n2);
  const errors: number[] = [];
  const outOfRange: number[] = [];
  // Row update f_i ← f_i + reg log a_i − reg log r_i with r_i = Σ_j exp((f_i + g_j − M_ij)/reg) (row i's sum uses only
  // f_i, so it is shifted by the current f_i), fused with the column sums under the updated f: since
  // exp((f'_i + g_j − M_ij)/reg) = (a_i / r_i)·exp((f_i + g_j − M_ij)/reg), one exp pass serves both half-steps.
  const rowUpdate = (i: number, sum: number): number => {
    if (sum > 1e-280 && sum < 1e280) {
      f[i] = f[i]! + loga[i]! - reg * Math.log(sum);
      return a[i]! / sum;
    }
    outOfRange.push(i);
    return 0;
  };
  let status: SinkhornCoreResult["status"] = "maxIterReached";
  let it = 0;
  while (it < opts.maxIter) {
    outOfRange.length = 0;
    kernel.rowSumsScaledCols(f, g, inv, rowUpdate, cs);
    // Rows whose shifted sum under/overflowed: max-shifted log-sum-exp, then their column terms directly.
    for (const i of outOfRange) {
      const o = i * n2;
      let mx = Number.NEGATIVE_INFINITY;
      for (let j = 0; j < n2; j++) mx = Math.max(mx, (g[j]! - M[o + j]!) * inv);
      let s2 = 0;
      for (let j = 0; j < n2; j++) s2 += Math.exp((g[j]! - M[o + j]!) * inv - mx);
      f[i] = loga[i]! - reg * (mx + Math.log(s2));
      const fi = f[i]!;
      for (let j = 0; j < n2; j++) cs[j] = cs[j]! + Math.exp((fi + g[j]! - M[o + j]!) * inv);
    }
    it++;
    // Column sums of the current plan, shifted by g_j: s_j = Σ_i exp((f_i + g_j − M_ij)/reg).
    colLogSums(cs, f, g, M, inv, ls);
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
  const plan = new Float64Array(n1 * n2);
  kernel.expMatrix(f, g, inv, plan);
  return { plan, f, g, iterations: it, errors, status };
}

/** ls_j = log of the shifted column sums cs_j, max-shifted again (from f, g, M) where cs_j is out of range. */
function colLogSums(
  cs: Float64Array,
  f: Float64Array,
  g: Float64Array,
  M: Float64Array,
  inv: number,
  ls: Float64Array,
): void {
  const n1 = f.length;
  const n2 = g.length;
  for (let j = 0; j < n2; j++) {
    const sj = cs[j]!;
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
