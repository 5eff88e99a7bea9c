// A differentiable entropic optimal-transport layer (Cuturi, "Sinkhorn distances", NeurIPS 2013):
// P(M, a, b) = argmin ⟨P, M⟩ + reg Σ P (log P − 1) s.t. P𝟙 = a, Pᵀ𝟙 = b, with P = exp((f ⊕ g − M)/reg).
// The forward solve is @x/ot's log-domain Sinkhorn; derivatives come from the implicit function theorem
// at the fixed point of one Sinkhorn sweep on the log-potentials (Eisenberger et al., "A unified
// framework for implicit Sinkhorn differentiation", CVPR 2022; Blondel et al. 2022), or, on request,
// from unrolling the sweeps. The sweep is shift invariant — (f + c, g − c) is a fixed point whenever
// (f, g) is — so I − ∂T would be singular; projecting every sweep onto Σf = Σg removes that direction
// (its eigenvalue becomes 0) without changing the plan, and the fixed point becomes unique.
import { sinkhorn } from "@x/ot";
import {
  add,
  asTensor,
  concat,
  div,
  exp,
  log,
  logsumexp,
  mul,
  reshape,
  ShapeError,
  slice,
  stopGradient,
  sub,
  sum,
  type Tensor,
  type TensorLike,
  ValueError,
  zeros,
} from "@x/tensor";
import { customFixedPoint } from "../custom-fixed-point.js";
import type { CustomRootOptions } from "../custom-root.js";
import type { LinearSolveInfo } from "../linear-solve.js";

export interface SinkhornLayerOptions {
  /** Entropic regularisation (> 0), in cost units. */
  reg: number;
  /** "implicit" (default): implicit function theorem at the fixed point; "unrolled": backprop through the sweeps. */
  diff?: "implicit" | "unrolled";
  /** Forward Sinkhorn iteration cap (default 1000). */
  maxIter?: number;
  /** Forward stopping threshold on the marginal error ‖Pᵀ𝟙 − b‖₂ (default 1e-10). */
  tol?: number;
  /** Sweeps differentiated by "unrolled" (default: as many as the forward solve needed, at least 1). */
  unrollSteps?: number;
  /** Linear solve of the implicit derivative (default GMRES, tol 1e-12). */
  linearSolve?: CustomRootOptions;
  /** Called with each derivative linear solve (implicit mode). */
  onLinearSolve?: (info: LinearSolveInfo & { mode: "vjp" | "jvp" }) => void;
}

export interface SinkhornLayerResult {
  /** Transport plan, differentiable w.r.t. M, a and b. */
  plan: Tensor;
  /** ⟨P, M⟩. */
  cost: Tensor;
  /** ⟨P, M⟩ + reg Σ P (log P − 1): its gradient w.r.t. M is P (envelope theorem). */
  entropicCost: Tensor;
  /** Dual potentials (cost units, normalised to Σf = Σg): P = exp((f ⊕ g − M)/reg). */
  f: Tensor;
  g: Tensor;
  /** Whether the forward solve met `tol` (unrolled: whether the unrolled plan does). */
  converged: boolean;
  /** Forward Sinkhorn iterations (unrolled: sweeps taped). */
  iterations: number;
  /** max(‖P𝟙 − a‖₂, ‖Pᵀ𝟙 − b‖₂) of the returned plan. */
  residual: number;
  diff: "implicit" | "unrolled";
}

function positiveVector(t: Tensor, n: number, name: string, axis: string): void {
  if (t.rank !== 1 || t.size !== n) {
    throw new ShapeError(`sinkhornLayer: ${name} must be a vector of ${n} weights (M's ${axis}), got [${t.shape}]`);
  }
  const d = stopGradient(t).data;
  for (let i = 0; i < n; i++) {
    if (!(d[i]! > 0) || !Number.isFinite(d[i]!)) {
      throw new ValueError(
        `sinkhornLayer: ${name} must be finite and strictly positive (log-potentials need log ${name}), entry ${i} is ${d[i]}`,
      );
    }
  }
}

const massOf = (t: Tensor) => stopGradient(t).data.reduce((s, v) => s + v, 0);

/** max(‖P𝟙 − a‖₂, ‖Pᵀ𝟙 − b‖₂) on concrete values. */
function marginalResidual(P: Float64Array, a: Float64Array, b: Float64Array): number {
  const n1 = a.length;
  const n2 = b.length;
  const col = new Float64Array(n2);
  let er = 0;
  for (let i = 0; i < n1; i++) {
    let r = 0;
    for (let j = 0; j < n2; j++) {
      r += P[i * n2 + j]!;
      col[j]! += P[i * n2 + j]!;
    }
    er += (r - a[i]!) ** 2;
  }
  let ec = 0;
  for (let j = 0; j < n2; j++) ec += (col[j]! - b[j]!) ** 2;
  return Math.max(Math.sqrt(er), Math.sqrt(ec));
}

/**
 * Entropic OT plan P(M, a, b) and costs as differentiable tensors. a and b are positive weights of equal
 * mass; gradients w.r.t. them are defined up to adding c𝟙 to ā and −c𝟙 to b̄ (only Σa = Σb moves are
 * meaningful), as for @x/ot's envelope gradients.
 */
export function sinkhornLayer(
  Min: TensorLike,
  aIn: TensorLike,
  bIn: TensorLike,
  options: SinkhornLayerOptions,
): SinkhornLayerResult {
  const M = asTensor(Min, "M");
  const a = asTensor(aIn, "a");
  const b = asTensor(bIn, "b");
  if (!options || typeof options !== "object") throw new ValueError("sinkhornLayer: options { reg } are required");
  const { reg } = options;
  if (!(typeof reg === "number" && Number.isFinite(reg) && reg > 0)) {
    throw new ValueError(`sinkhornLayer: options.reg must be a finite number > 0, got ${reg}`);
  }
  if (M.rank !== 2) throw new ShapeError(`sinkhornLayer: M must be a cost matrix, got shape [${M.shape}]`);
  const [n1, n2] = M.shape as [number, number];
  positiveVector(a, n1, "a", "rows");
  positiveVector(b, n2, "b", "columns");
  const sa = massOf(a);
  const sb = massOf(b);
  if (Math.abs(sa - sb) > 1e-8 * Math.max(sa, sb)) {
    throw new ValueError(`sinkhornLayer: a and b must have the same total mass, got sum(a) = ${sa}, sum(b) = ${sb}`);
  }
  if (!stopGradient(M).data.every(Number.isFinite)) throw new ValueError("sinkhornLayer: M must be finite");
  const diff = options.diff ?? "implicit";
  if (diff !== "implicit" && diff !== "unrolled") {
    throw new ValueError(`sinkhornLayer: options.diff must be "implicit" or "unrolled", got ${String(diff)}`);
  }
  const maxIter = options.maxIter ?? 1000;
  if (!(Number.isInteger(maxIter) && maxIter >= 1)) {
    throw new ValueError(`sinkhornLayer: options.maxIter must be a positive integer, got ${maxIter}`);
  }
  const tol = options.tol ?? 1e-10;
  if (!(tol > 0)) throw new ValueError(`sinkhornLayer: options.tol must be > 0, got ${tol}`);
  if (options.unrollSteps !== undefined && !(Number.isInteger(options.unrollSteps) && options.unrollSteps >= 1)) {
    throw new ValueError(`sinkhornLayer: options.unrollSteps must be a positive integer, got ${options.unrollSteps}`);
  }

  // One log-domain sweep (rows, then columns) followed by the gauge projection onto Σf = Σg.
  const sweep = (z: Tensor, th: [Tensor, Tensor, Tensor]): Tensor => {
    const [Mt, at, bt] = th;
    const g = slice(z, [[n1, n1 + n2]]);
    const f1 = sub(mul(reg, log(at)), mul(reg, logsumexp(div(sub(reshape(g, [1, n2]), Mt), reg), { axis: 1 })));
    const g1 = sub(mul(reg, log(bt)), mul(reg, logsumexp(div(sub(reshape(f1, [n1, 1]), Mt), reg), { axis: 0 })));
    const c = div(sub(sum(f1), sum(g1)), n1 + n2);
    return concat([sub(f1, c), add(g1, c)]);
  };

  // The array solver (never differentiated): @x/ot's log-domain Sinkhorn, potentials put in the gauge.
  const forward = (th: [Tensor, Tensor, Tensor]) => {
    const r = sinkhorn(th[1], th[2], th[0], reg, { method: "log", maxIter, tol });
    const f = r.f.data;
    const g = r.g.data;
    let c = 0;
    for (const v of f) c += v;
    for (const v of g) c -= v;
    c /= n1 + n2;
    const z = new Float64Array(n1 + n2);
    for (let i = 0; i < n1; i++) z[i] = f[i]! - c;
    for (let j = 0; j < n2; j++) z[n1 + j] = g[j]! + c;
    return { z, converged: r.converged, iterations: r.iterations, residual: r.residual };
  };

  const theta: [Tensor, Tensor, Tensor] = [M, a, b];
  let z: Tensor;
  let converged: boolean;
  let iterations: number;
  if (diff === "implicit") {
    let status = { converged: false, iterations: 0 };
    const root = customFixedPoint(
      sweep,
      (_init: Tensor, th: [Tensor, Tensor, Tensor]) => {
        const r = forward(th);
        status = r;
        return { x: asTensor(r.z), converged: r.converged, iterations: r.iterations, residual: r.residual };
      },
      {
        solve: "gmres",
        tol: 1e-12,
        ...options.linearSolve,
        ...(options.onLinearSolve ? { onLinearSolve: options.onLinearSolve } : {}),
      },
    );
    z = root(zeros([n1 + n2]), theta);
    ({ converged, iterations } = status);
  } else {
    const K =
      options.unrollSteps ?? Math.max(1, forward([stopGradient(M), stopGradient(a), stopGradient(b)]).iterations);
    z = zeros([n1 + n2]);
    for (let k = 0; k < K; k++) z = sweep(z, theta);
    iterations = K;
    converged = false; // set from the residual below
  }
  const f = slice(z, [[0, n1]]);
  const g = slice(z, [[n1, n1 + n2]]);
  const logP = div(sub(add(reshape(f, [n1, 1]), reshape(g, [1, n2])), M), reg);
  const plan = exp(logP);
  const cost = sum(mul(plan, M));
  const entropicCost = add(cost, mul(reg, sum(mul(plan, sub(logP, 1)))));
  const residual = marginalResidual(stopGradient(plan).data, stopGradient(a).data, stopGradient(b).data);
  if (diff === "unrolled") converged = residual <= tol;
  return { plan, cost, entropicCost, f, g, converged, iterations, residual, diff };
}
