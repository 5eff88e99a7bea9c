// Sparsity-constrained OT: min ⟨T, M⟩ + (reg/2)‖T‖² over plans with T𝟙 = a, Tᵀ𝟙 = b and at most k
// nonzeros in every column of T, solved on the semi-dual
//   max_α αᵀa − Σ_j b_j max_{p ∈ Δ, ‖p‖₀ ≤ k} [⟨α − M_:j, p⟩ − (reg b_j / 2)‖p‖²]
// with L-BFGS. The inner max is the Euclidean projection of (α − M_:j)/(reg b_j) onto the k-sparse
// simplex, which is the simplex projection of its k largest entries (Kyrillidis, Becker, Cevher &
// Koch, "Sparse projections onto the simplex", ICML 2013); its maximiser p gives column j of the plan,
// T_:j = b_j p, and (Danskin) the semi-dual gradient a − T𝟙.
// Method: Liu, Puigcerver & Blondel, "Sparsity-constrained optimal transport" (ICLR 2023). With
// k ≥ n1 it is Blondel, Seguy & Rolet's l2 semi-dual (AISTATS 2018; POT's ot.smooth.smooth_ot_semi_dual).
import { fromData, ShapeError, type Tensor, type TensorLike, ValueError } from "@x/tensor";
import { lbfgs } from "./internal/lbfgs.js";
import { balancedProblem, checkPositive, vec } from "./internal/validate.js";

export interface SparsityConstrainedOtOptions {
  /** k: the most nonzeros allowed in each column of the plan (integer ≥ 1; default n1 = no constraint). */
  maxNnz?: number;
  /** L-BFGS iteration limit (default 1000). */
  maxIter?: number;
  /** Bound on the row-marginal violation ‖a − T𝟙‖₂ (the semi-dual gradient norm), default 1e-7. */
  tol?: number;
}

export interface SparsityConstrainedOtResult {
  /** (n1, n2) plan; column j sums to b_j and has at most maxNnz nonzeros. */
  plan: Tensor;
  /** Semi-dual potential α (n1). */
  alpha: Tensor;
  /** ⟨T, M⟩. */
  cost: number;
  /** Regularised primal value ⟨T, M⟩ + (reg/2)‖T‖². */
  regularizedCost: number;
  /** Semi-dual value at α (a lower bound on regularizedCost when the column constraints are slack). */
  semiDualValue: number;
  /** Whether ‖a − T𝟙‖₂ ≤ tol was reached. For small k the row marginals may be unreachable (k = 1 is a map). */
  converged: boolean;
  iterations: number;
  /** Final row-marginal violation ‖a − T𝟙‖₂. */
  residual: number;
  maxNnz: number;
}

/** Scratch space for projectSparseSimplexInto on vectors of length ≤ n. */
export interface SparseSimplexScratch {
  idx: Int32Array;
  vals: Float64Array;
}

export function sparseSimplexScratch(n: number): SparseSimplexScratch {
  return { idx: new Int32Array(n), vals: new Float64Array(n) };
}

/** Up to this k the top-k list is kept by insertion (O(n·k)); above it a native numeric sort (O(n log n)). */
const INSERTION_MAX_K = 16;

/**
 * Projection of y (length n) onto {p ∈ Δ, ‖p‖₀ ≤ k}: the k largest entries, ties broken towards the
 * smaller index so the result is deterministic, projected exactly onto the simplex. Writes p into
 * `out` (zeros elsewhere) and returns the number of nonzeros (always ≥ 1: the largest entry keeps
 * y₍₁₎ − τ = 1/ρ·(1 + Σ_{t≤ρ}(y₍₁₎ − y₍t₎)) > 0, so no column is ever left empty).
 * Both strategies give bit-identical results (same sorted values, same summation order).
 */
export function projectSparseSimplexInto(
  y: Float64Array,
  k: number,
  out: Float64Array,
  scratch: SparseSimplexScratch,
  n = y.length,
  strategy: "auto" | "insertion" | "sort" = "auto",
): number {
  const kk = Math.min(k, n);
  const useSort = strategy === "sort" || (strategy === "auto" && kk > INSERTION_MAX_K);
  // Exact simplex projection of the kk largest values, visited in decreasing order:
  // τ = (Σ_{t≤ρ} y₍t₎ − 1)/ρ with the largest ρ such that y₍ρ₎ > τ (Held, Wolfe & Crowder 1974;
  // Duchi et al. 2008). Then p_i = max(y_i − τ, 0) on the chosen entries.
  let cum = 0;
  let tau = 0;
  const step = (v: number, r: number) => {
    const c = cum + v;
    const t = (c - 1) / (r + 1);
    if (v > t) tau = t;
    cum = c;
  };
  out.fill(0, 0, n);
  let nnz = 0;
  if (useSort) {
    const vals = scratch.vals.subarray(0, n);
    vals.set(y.subarray(0, n));
    vals.sort(); // numeric, ascending
    for (let r = 0; r < kk; r++) step(vals[n - 1 - r]!, r);
    // The chosen set: everything above the k-th largest value, then ties at it by increasing index.
    const vk = vals[n - kk]!;
    let ties = kk;
    for (let i = 0; i < n; i++) if (y[i]! > vk) ties--;
    for (let i = 0; i < n; i++) {
      const v = y[i]!;
      if (!(v > vk) && !(v === vk && ties-- > 0)) continue;
      const p = v - tau;
      if (p > 0) {
        out[i] = p;
        nnz++;
      }
    }
    return nnz;
  }
  // Keep a sorted (descending value, ascending index) list of the best kk candidates.
  const idx = scratch.idx;
  let m = 0;
  for (let i = 0; i < n; i++) {
    const v = y[i]!;
    // Strictly better than the current last (equal values: the earlier index already there wins).
    if (m === kk && !(v > y[idx[m - 1]!]!)) continue;
    let pos = m < kk ? m : m - 1;
    while (pos > 0 && v > y[idx[pos - 1]!]!) {
      idx[pos] = idx[pos - 1]!;
      pos--;
    }
    idx[pos] = i;
    if (m < kk) m++;
  }
  for (let r = 0; r < m; r++) step(y[idx[r]!]!, r);
  for (let r = 0; r < m; r++) {
    const i = idx[r]!;
    const p = y[i]! - tau;
    if (p > 0) {
      out[i] = p;
      nnz++;
    }
  }
  return nnz;
}

/** Euclidean projection of a vector onto {p ∈ Δ, ‖p‖₀ ≤ k} (ties towards the smaller index). */
export function projectSparseSimplex(y: TensorLike, k: number): Tensor {
  if (!(Number.isInteger(k) && k >= 1)) throw new ValueError(`k must be an integer ≥ 1, got ${k}`);
  const v = vec(y, "y");
  if (v.length === 0) throw new ShapeError("y must have at least one entry");
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i]!)) throw new ValueError(`y must be finite, found ${v[i]} at entry ${i}`);
  }
  const out = new Float64Array(v.length);
  projectSparseSimplexInto(v, k, out, sparseSimplexScratch(v.length));
  return fromData(out, [v.length]);
}

/** Sparsity-constrained (at most `maxNnz` nonzeros per column), squared-ℓ2-regularised OT by the semi-dual. */
export function sparsityConstrainedOt(
  a: TensorLike | undefined,
  b: TensorLike | undefined,
  M: TensorLike,
  reg: number,
  opts: SparsityConstrainedOtOptions = {},
): SparsityConstrainedOtResult {
  checkPositive(reg, "reg");
  const p = balancedProblem(a, b, M);
  const { rows: n1, cols: n2, data: C } = p.M;
  const k = opts.maxNnz ?? n1;
  if (!(Number.isInteger(k) && k >= 1)) {
    throw new ValueError(`maxNnz must be an integer ≥ 1 (nonzeros allowed per column), got ${k}`);
  }
  const maxIter = opts.maxIter ?? 1000;
  const tol = opts.tol ?? 1e-7;
  if (!(Number.isInteger(maxIter) && maxIter >= 0))
    throw new ValueError(`maxIter must be an integer ≥ 0, got ${maxIter}`);
  if (!(tol > 0)) throw new ValueError(`tol must be > 0, got ${tol}`);
  const av = p.a;
  const bv = p.b;
  const y = new Float64Array(n1);
  const col = new Float64Array(n1);
  const scratch = sparseSimplexScratch(n1);

  // Visits every column's projection at potential α; `use(j, G_:j, x_:j)` sees p and x = α − M_:j.
  const columns = (alpha: Float64Array, use: (j: number, g: Float64Array, x: Float64Array) => void) => {
    const x = new Float64Array(n1);
    for (let j = 0; j < n2; j++) {
      const bj = bv[j]!;
      // A target of zero mass receives nothing and contributes nothing to the semi-dual.
      if (!(bj > 0)) continue;
      const s = 1 / (reg * bj);
      for (let i = 0; i < n1; i++) {
        x[i] = alpha[i]! - C[i * n2 + j]!;
        y[i] = x[i]! * s;
      }
      projectSparseSimplexInto(y, k, col, scratch, n1);
      use(j, col, x);
    }
  };

  // Negative semi-dual F(α) = −αᵀa + Σ_j b_j val_j and its gradient −a + T𝟙, for the minimiser.
  const fg = (alpha: Float64Array, g: Float64Array) => {
    let f = 0;
    for (let i = 0; i < n1; i++) {
      f -= alpha[i]! * av[i]!;
      g[i] = -av[i]!;
    }
    columns(alpha, (j, pc, x) => {
      const bj = bv[j]!;
      let lin = 0;
      let sq = 0;
      for (let i = 0; i < n1; i++) {
        const pi = pc[i]!;
        if (pi === 0) continue;
        lin += x[i]! * pi;
        sq += pi * pi;
        g[i] = g[i]! + bj * pi;
      }
      f += bj * (lin - 0.5 * reg * bj * sq);
    });
    // Σa = Σb makes F(α + c𝟙) = F(α) in exact arithmetic, but the rounded masses leave a slope of
    // ~1e-17 along 𝟙 with no curvature, down which L-BFGS would run off until rounding wrecks the
    // projections. The exact gradient sums to Σb − Σa = 0: dropping its mean fixes the gauge.
    let mean = 0;
    for (let i = 0; i < n1; i++) mean += g[i]!;
    mean /= n1;
    for (let i = 0; i < n1; i++) g[i] = g[i]! - mean;
    return f + gauge(alpha, g);
  };
  // That is not enough on its own: steps whose 𝟙-component is rounding noise can still add up (α reached −1.5e12 on
  // a tied 5×4 cost, where the projections then lose 1e-3 of each column's mass). A unit quadratic on mean(α) pins the
  // gauge: F's minimisers form lines α* + c𝟙 with the same plan, and the penalty only picks the one with mean 0.
  const meanOf = (alpha: Float64Array) => {
    let m = 0;
    for (let i = 0; i < n1; i++) m += alpha[i]!;
    return m / n1;
  };
  const gauge = (alpha: Float64Array, g: Float64Array) => {
    const m = meanOf(alpha);
    for (let i = 0; i < n1; i++) g[i] = g[i]! + m / n1;
    return 0.5 * m * m;
  };

  // Start from α_i = min_j M_ij (each row's cheapest target): the semi-dual is concave, so the start
  // only affects speed. (With Σa = Σb it is invariant to α → α + c; α is returned as found.)
  const alpha0 = new Float64Array(n1);
  for (let i = 0; i < n1; i++) {
    let mn = Number.POSITIVE_INFINITY;
    for (let j = 0; j < n2; j++) mn = Math.min(mn, C[i * n2 + j]!);
    alpha0[i] = mn;
  }
  // Armijo L-BFGS first: on the non-smooth semi-dual (k < n1) it reaches the kinks' optimum best. If
  // it stalls (f flat to rounding before the gradient is small), polish with the slope line search.
  let r = lbfgs(fg, alpha0, { maxIter, tol });
  let iterations = r.iterations;
  if (!r.converged && iterations < maxIter) {
    const r2 = lbfgs(fg, r.x, { maxIter: maxIter - iterations, tol, lineSearch: "slope" });
    iterations += r2.iterations;
    // The slope search only takes steps before the line minimiser, so r2 is no worse than r in exact
    // arithmetic; its value can differ from r's by rounding only, so it is not compared.
    r = r2;
  }

  const P = new Float64Array(n1 * n2);
  let cost = 0;
  let sq = 0;
  columns(r.x, (j, pc) => {
    const bj = bv[j]!;
    for (let i = 0; i < n1; i++) {
      const t = bj * pc[i]!;
      if (t === 0) continue;
      P[i * n2 + j] = t;
      cost += t * C[i * n2 + j]!;
      sq += t * t;
    }
  });
  return {
    plan: fromData(P, [n1, n2]),
    alpha: fromData(r.x, [n1]),
    cost,
    regularizedCost: cost + 0.5 * reg * sq,
    semiDualValue: -(r.value - 0.5 * meanOf(r.x) ** 2),
    converged: r.converged,
    iterations,
    residual: r.gradNorm,
    maxNnz: Math.min(k, n1),
  };
}
