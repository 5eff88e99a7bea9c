// AID — approximate implicit differentiation (Pedregosa 2016; Ji, Yang & Liang, "Bilevel optimization:
// convergence analysis and enhanced design", ICML 2021): each outer step warm-starts T inner gradient
// steps, solves ∇²ₓₓg v = ∇ₓf by CG or a truncated Neumann series, and steps
// λ ← λ − β(∇λf − ∇²_λx g v).
import { fromData, sub, type Tensor } from "@x/tensor";
import { type Oracles, oracles } from "../internal/oracles.js";
import { sampledObjectives } from "../internal/sampler.js";
import { type LinearSolveInfo, solveLinear } from "../linear-solve.js";
import { outerLoop, resolve } from "./common.js";
import type { BilevelSolverOptions, BilevelSolverResult, BilevelSpec } from "./types.js";

export interface AidOptions extends BilevelSolverOptions {
  /** "cg" (AID-CG, default) or "neumann" (AID-Neumann). */
  solve?: "cg" | "neumann";
  /** Linear-solve iterations per outer step (default 20). */
  solveIter?: number;
  /** Neumann step η (default innerLr). */
  neumannStep?: number;
}

export interface AidResult extends BilevelSolverResult {
  /** The linear solve of the last outer iteration. */
  lastLinearSolve: LinearSolveInfo | undefined;
}

/** Inner gradient steps from x (warm start). */
export function innerSteps(O: Oracles, x: Tensor, l: Tensor, lr: number, T: number, k: number): Tensor {
  for (let t = 0; t < T; t++) x = sub(x, mulS(lr, O.gxG(x, l, k)));
  return x;
}

const mulS = (a: number, t: Tensor) =>
  fromData(
    Float64Array.from(t.data, (v) => a * v),
    t.shape,
  );

export function aid(spec: BilevelSpec, options: AidOptions = {}): AidResult {
  const r = resolve(spec, options, "aid");
  const O = oracles(sampledObjectives(spec, options, "aid"));
  const method = options.solve ?? "cg";
  const solveIter = options.solveIter ?? 20;
  let last: LinearSolveInfo | undefined;
  const res = outerLoop(spec.outer, options, r, { x: r.x0, lambda: r.lambda0 }, (k, s) => {
    const x = innerSteps(O, s.x, s.lambda, r.innerLr, r.innerSteps, k);
    const b = O.gxF(x, s.lambda, k);
    const apply = (v: Float64Array) =>
      Float64Array.from(O.hxx(x, s.lambda, fromData(Float64Array.from(v), x.shape), k).data);
    const { y, info } = solveLinear(apply, apply, Float64Array.from(b.data), {
      solve: method,
      maxIter: solveIter,
      tol: 1e-12,
      neumannStep: options.neumannStep ?? r.innerLr,
    });
    last = info;
    const hyper = sub(O.glF(x, s.lambda, k), O.hlx(x, s.lambda, fromData(y, x.shape), k));
    return { x, lambda: sub(s.lambda, mulS(r.outerLr, hyper)), hyper };
  });
  return { ...res, lastLinearSolve: last };
}
