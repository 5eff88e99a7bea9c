// Exact OT (earth mover's distance) on top of the network simplex: input checks, zero-mass points,
// dual potentials for them (POT's estimate_dual_null_weights) and a differentiable emd2.
import { customVjp, fromData, scalarTensor, type Tensor, type TensorLike, ValueError } from "@x/tensor";
import { balancedProblem } from "./internal/validate.js";
import { networkSimplex } from "./network-simplex.js";

export interface EmdOptions {
  /** Maximum number of simplex pivots (default 100 000, as POT's numItermax). */
  maxIter?: number;
  /** Center the potentials so that Σ a u = Σ b v (POT's center_dual, default true). */
  centerDual?: boolean;
}

export interface EmdResult {
  /** Optimal plan, shape [n1, n2]. */
  plan: Tensor;
  /** Σ plan ∘ M. */
  cost: number;
  /** Dual potentials: u_i + v_j ≤ M_ij with equality where plan > 0, and uᵀa + vᵀb = cost. */
  u: Tensor;
  v: Tensor;
  /** False when maxIter pivots were made before optimality (the plan is feasible but not optimal). */
  converged: boolean;
  status: "optimal" | "maxIterReached";
  iterations: number;
}

/** Raw solve on arrays; shared by emd, emd2 and the partial/LAP helpers. */
export function emdArrays(
  a: Float64Array,
  b: Float64Array,
  C: Float64Array,
  maxIter = 100000,
  centerDual = true,
): {
  plan: Float64Array;
  u: Float64Array;
  v: Float64Array;
  cost: number;
  iterations: number;
  status: EmdResult["status"];
} {
  const n1 = a.length;
  const n2 = b.length;
  // Points without mass are dropped from the graph (POT does the same) and get duals afterwards.
  const I: number[] = [];
  const J: number[] = [];
  for (let i = 0; i < n1; i++) if (a[i]! > 0) I.push(i);
  for (let j = 0; j < n2; j++) if (b[j]! > 0) J.push(j);
  const sa = new Float64Array(I.length);
  const sb = new Float64Array(J.length);
  const sC = new Float64Array(I.length * J.length);
  I.forEach((i, r) => {
    sa[r] = a[i]!;
    J.forEach((j, c) => {
      sC[r * J.length + c] = C[i * n2 + j]!;
    });
  });
  J.forEach((j, c) => {
    sb[c] = b[j]!;
  });
  const res = networkSimplex(sa, sb, sC, maxIter);
  const plan = new Float64Array(n1 * n2);
  const u = new Float64Array(n1).fill(Number.NaN);
  const v = new Float64Array(n2).fill(Number.NaN);
  I.forEach((i, r) => {
    u[i] = res.u[r]!;
    J.forEach((j, c) => {
      plan[i * n2 + j] = res.flow[r * J.length + c]!;
    });
  });
  J.forEach((j, c) => {
    v[j] = res.v[c]!;
  });
  // Largest feasible duals for dropped points keep u_i + v_j ≤ C_ij everywhere.
  for (let i = 0; i < n1; i++) {
    if (a[i]! > 0) continue;
    let best = Number.POSITIVE_INFINITY;
    for (const j of J) best = Math.min(best, C[i * n2 + j]! - v[j]!);
    u[i] = best;
  }
  for (let j = 0; j < n2; j++) {
    if (b[j]! > 0) continue;
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < n1; i++) best = Math.min(best, C[i * n2 + j]! - u[i]!);
    v[j] = best;
  }
  if (centerDual) {
    let au = 0;
    let bv = 0;
    let sA = 0;
    let sB = 0;
    for (let i = 0; i < n1; i++) {
      au += a[i]! * u[i]!;
      sA += a[i]!;
    }
    for (let j = 0; j < n2; j++) {
      bv += b[j]! * v[j]!;
      sB += b[j]!;
    }
    const c = (bv - au) / (sA + sB);
    for (let i = 0; i < n1; i++) u[i] = u[i]! + c;
    for (let j = 0; j < n2; j++) v[j] = v[j]! - c;
  }
  return { plan, u, v, cost: res.cost, iterations: res.iterations, status: res.status };
}

function maxIterOf(opts: EmdOptions): number {
  const maxIter = opts.maxIter ?? 100000;
  if (!(Number.isInteger(maxIter) && maxIter >= 0)) {
    throw new ValueError(`maxIter must be a non-negative integer, got ${maxIter}`);
  }
  return maxIter;
}

/**
 * Exact optimal transport plan between histograms a (n1) and b (n2) for cost M (n1×n2), by the
 * network simplex. Empty/omitted a or b mean uniform weights. a and b must have equal mass.
 */
export function emd(
  a: TensorLike | undefined,
  b: TensorLike | undefined,
  M: TensorLike,
  opts: EmdOptions = {},
): EmdResult {
  const p = balancedProblem(a, b, M);
  const r = emdArrays(p.a, p.b, p.M.data, maxIterOf(opts), opts.centerDual ?? true);
  return {
    plan: fromData(r.plan, [p.M.rows, p.M.cols]),
    cost: r.cost,
    u: fromData(r.u, [p.M.rows]),
    v: fromData(r.v, [p.M.cols]),
    converged: r.status === "optimal",
    status: r.status,
    iterations: r.iterations,
  };
}

/**
 * The EMD cost as a scalar tensor, differentiable with respect to a, b (dual potentials) and M (the
 * plan): the optimal value is u·a + v·b = ⟨P, M⟩, so by the envelope theorem (Danskin) its
 * (sub)gradients are u, v and P. Omitted a/b are uniform (and then not differentiated).
 */
export function emd2(
  a: TensorLike | undefined,
  b: TensorLike | undefined,
  M: TensorLike,
  opts: EmdOptions = {},
): Tensor {
  const p = balancedProblem(a, b, M);
  const diff = customVjp(
    (at: Tensor, bt: Tensor, Mt: Tensor) => scalarTensor(emd(at, bt, Mt, opts).cost),
    (at: Tensor, bt: Tensor, Mt: Tensor) => {
      const r = emd(at, bt, Mt, opts);
      return [scalarTensor(r.cost), r];
    },
    (r: EmdResult, g: Tensor) => {
      const s = g.item();
      const sc = (t: Tensor) =>
        fromData(
          t.data.map((x) => x * s),
          [...t.shape],
        );
      return [sc(r.u), sc(r.v), sc(r.plan)];
    },
  );
  const empty = (w: TensorLike | undefined) => w === undefined || (Array.isArray(w) && w.length === 0);
  const at = empty(a) ? fromData(Float64Array.from(p.a), [p.a.length]) : (a as TensorLike);
  const bt = empty(b) ? fromData(Float64Array.from(p.b), [p.b.length]) : (b as TensorLike);
  return diff(at, bt, M);
}
