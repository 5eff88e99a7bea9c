// OT page: the exact plan (network simplex) and the entropic plan (log-domain Sinkhorn, regularisation ε)
// between two seeded point clouds under squared Euclidean cost.
import * as OT from "@x/ot";
import type { Compute } from "../protocol.js";
import { otClouds } from "./ot-data.js";

export interface PlanEntry {
  i: number;
  j: number;
  w: number;
}

export interface OtResult {
  xs: number[][];
  ys: number[][];
  emd: { cost: number; iterations: number; ms: number; plan: PlanEntry[] };
  sinkhorn: {
    eps: number;
    cost: number;
    entropicCost: number;
    iterations: number;
    converged: boolean;
    errors: number[];
    ms: number;
    plan: PlanEntry[];
  };
}

export const SINKHORN_OPTIONS = { method: "log", maxIter: 5000, tol: 1e-9 } as const;

/** Plan entries above `rel`·max, as links to draw (a dense Sinkhorn plan has n² of them). */
export function planEntries(plan: ArrayLike<number>, n2: number, rel: number): PlanEntry[] {
  let max = 0;
  for (let k = 0; k < plan.length; k++) max = Math.max(max, plan[k]!);
  const out: PlanEntry[] = [];
  for (let k = 0; k < plan.length; k++)
    if (plan[k]! > rel * max) out.push({ i: Math.floor(k / n2), j: k % n2, w: plan[k]! / max });
  return out;
}

export const compute: Compute = (params, progress) => {
  const n = Number(params.n);
  const { xs, ys } = otClouds(n, Number(params.seed));
  const M = OT.dist(xs, ys);
  progress(0.1, "network simplex");
  const t0 = performance.now();
  const e = OT.emd(undefined, undefined, M);
  const emdMs = performance.now() - t0;
  const eps = Number(params.eps);
  progress(0.4, `Sinkhorn, ε = ${eps.toPrecision(3)}`);
  const t1 = performance.now();
  const s = OT.sinkhorn(undefined, undefined, M, eps, SINKHORN_OPTIONS);
  const sMs = performance.now() - t1;
  return {
    xs,
    ys,
    emd: { cost: e.cost, iterations: e.iterations, ms: emdMs, plan: planEntries(e.plan.data, n, 1e-9) },
    sinkhorn: {
      eps,
      cost: s.cost,
      entropicCost: s.entropicCost,
      iterations: s.iterations,
      converged: s.converged,
      errors: s.errors,
      ms: sMs,
      // entries below 2 % of the largest are invisible at the opacities used
      plan: planEntries(s.plan.data, n, 0.02),
    },
  } satisfies OtResult;
};
