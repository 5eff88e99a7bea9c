// Shared option and result types of the entropic OT solvers.

export interface SinkhornCoreOptions {
  maxIter: number;
  /** Stop when ‖P𝟙… − marginal‖₂ < tol (POT's stopThr). */
  tol: number;
  /** Warm start: dual potentials f (n1) and g (n2) in cost units, P = exp((f ⊕ g − M)/reg). */
  f0?: Float64Array | undefined;
  g0?: Float64Array | undefined;
  /** Exp-sum kernel of the log-domain passes: "auto" (default), "wasm" (WebAssembly SIMD where available) or "js". */
  expBackend?: "auto" | "wasm" | "js" | undefined;
}

export interface SinkhornCoreResult {
  plan: Float64Array;
  f: Float64Array;
  g: Float64Array;
  iterations: number;
  /** Marginal error ‖Pᵀ𝟙 − b‖₂ per iteration. */
  errors: number[];
  status: "converged" | "maxIterReached" | "numericalError";
}

/** Marginal error ‖s − b‖₂. */
export function marginalError(s: Float64Array, b: Float64Array): number {
  let e = 0;
  for (let j = 0; j < b.length; j++) e += (s[j]! - b[j]!) ** 2;
  return Math.sqrt(e);
}

/** Plan exp((f_i + g_j − M_ij)/reg). */
export function planFromPotentials(f: Float64Array, g: Float64Array, M: Float64Array, reg: number): Float64Array {
  const n1 = f.length;
  const n2 = g.length;
  const P = new Float64Array(n1 * n2);
  for (let i = 0; i < n1; i++) {
    const fi = f[i]!;
    const o = i * n2;
    for (let j = 0; j < n2; j++) P[o + j] = Math.exp((fi + g[j]! - M[o + j]!) / reg);
  }
  return P;
}
