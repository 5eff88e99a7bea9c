// Fixed-support entropic Wasserstein barycenter by iterative Bregman projections.
// Method: Benamou, Carlier, Cuturi, Nenna & Peyré, "Iterative Bregman projections for regularized
// transportation problems" (SIAM J. Sci. Comput. 2015), Prop. 2; POT's ot.bregman.barycenter.
import { fromData, ShapeError, type Tensor, type TensorLike } from "@x/tensor";
import { checkCost, checkMarginal, checkPositive, mat, vec } from "./internal/validate.js";

export interface BarycenterOptions {
  /** Barycentric weights (default uniform), one per input histogram. */
  weights?: TensorLike;
  maxIter?: number;
  /** Stop when Σ_k ‖marginal_k − p‖₁ < tol (default 1e-9). */
  tol?: number;
}

export interface BarycenterResult {
  barycenter: Tensor;
  converged: boolean;
  iterations: number;
  errors: number[];
}

/**
 * Entropic barycenter p of the columns of A (n × k histograms on a common support with cost M, n × n):
 * argmin_p Σ_k w_k OT_reg(a_k, p).
 */
export function barycenter(A: TensorLike, M: TensorLike, reg: number, opts: BarycenterOptions = {}): BarycenterResult {
  checkPositive(reg, "reg");
  const At = mat(A, "A");
  const Mm = mat(M, "M");
  checkCost(Mm);
  const n = At.rows;
  const k = At.cols;
  if (Mm.rows !== n || Mm.cols !== n) {
    throw new ShapeError(`M must be ${n}×${n} for histograms with ${n} bins, got ${Mm.rows}×${Mm.cols}`);
  }
  const cols: Float64Array[] = [];
  for (let c = 0; c < k; c++) {
    const col = Float64Array.from({ length: n }, (_, i) => At.data[i * k + c]!);
    checkMarginal(col, `A[:, ${c}]`);
    cols.push(col);
  }
  const w = opts.weights === undefined ? new Float64Array(k).fill(1 / k) : vec(opts.weights, "weights");
  if (w.length !== k) throw new ShapeError(`weights has ${w.length} entries for ${k} histograms`);
  checkMarginal(w, "weights");
  const maxIter = opts.maxIter ?? 1000;
  const tol = opts.tol ?? 1e-9;
  const K = Float64Array.from(Mm.data, (x) => Math.exp(-x / reg));
  const v = cols.map(() => new Float64Array(n).fill(1));
  const phi = cols.map(() => new Float64Array(n));
  const p = new Float64Array(n);
  const Kv = new Float64Array(n);
  const errors: number[] = [];
  let converged = false;
  let it = 0;
  while (it < maxIter) {
    // Project onto the fixed marginals a_k: u_k = a_k / K v_k, then φ_k = Kᵀ u_k.
    for (let c = 0; c < k; c++) {
      const vc = v[c]!;
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += K[i * n + j]! * vc[j]!;
        Kv[i] = cols[c]![i]! / s;
      }
      const ph = phi[c]!;
      ph.fill(0);
      for (let i = 0; i < n; i++) {
        const ui = Kv[i]!;
        for (let j = 0; j < n; j++) ph[j] = ph[j]! + K[i * n + j]! * ui;
      }
    }
    // The common marginal is the weighted geometric mean of the current marginals v_k ∘ φ_k.
    let err = 0;
    for (let j = 0; j < n; j++) {
      let lp = 0;
      for (let c = 0; c < k; c++) lp += w[c]! * Math.log(phi[c]![j]!);
      p[j] = Math.exp(lp);
    }
    for (let c = 0; c < k; c++) {
      for (let j = 0; j < n; j++) {
        err += Math.abs(v[c]![j]! * phi[c]![j]! - p[j]!);
        v[c]![j] = p[j]! / phi[c]![j]!;
      }
    }
    it++;
    errors.push(err);
    if (!Number.isFinite(err)) break;
    if (err < tol) {
      converged = true;
      break;
    }
  }
  return { barycenter: fromData(Float64Array.from(p), [n]), converged, iterations: it, errors };
}
