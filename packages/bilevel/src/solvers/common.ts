// The outer loop every solver shares: bookkeeping, history, stopping, callbacks.
import { asTensor, type Tensor } from "@x/tensor";
import { innerLipschitz } from "../inner-solve.js";
import { checkCount, checkPositive, type Objective } from "../internal/oracles.js";
import { vnorm } from "../internal/vec.js";
import type { BilevelSolverOptions, BilevelSolverResult, BilevelSpec } from "./types.js";

export interface Resolved {
  x0: Tensor;
  lambda0: Tensor;
  maxIter: number;
  tol: number;
  outerLr: number;
  innerLr: number;
  innerSteps: number;
}

export function resolve(spec: BilevelSpec, o: BilevelSolverOptions, fn: string): Resolved {
  const x0 = asTensor(spec.x0, "x0");
  const lambda0 = asTensor(spec.lambda0, "lambda0");
  const maxIter = o.maxIter ?? 200;
  checkCount(maxIter, "maxIter", fn, 0);
  const tol = o.tol ?? 1e-6;
  checkPositive(tol, "tol", fn);
  const outerLr = o.outerLr ?? 0.05;
  checkPositive(outerLr, "outerLr", fn);
  const innerLr = o.innerLr ?? 1 / (1.1 * innerLipschitz((x, l) => spec.inner(x, l, 0), x0, lambda0));
  checkPositive(innerLr, "innerLr", fn);
  const innerSteps = o.innerSteps ?? 10;
  checkCount(innerSteps, "innerSteps", fn, 0);
  return { x0, lambda0, maxIter, tol, outerLr, innerLr, innerSteps };
}

/** Runs `step` until the hypergradient estimate is small, recording f after every iteration. */
export function outerLoop(
  outer: Objective,
  o: BilevelSolverOptions,
  r: Resolved,
  init: { x: Tensor; lambda: Tensor },
  step: (
    k: number,
    s: { x: Tensor; lambda: Tensor },
  ) => { x: Tensor; lambda: Tensor; hyper: Tensor; stationarity?: number },
): BilevelSolverResult {
  let s = init;
  const outerHistory = [outer(s.x, s.lambda).item()];
  const gradNormHistory: number[] = [];
  let converged = false;
  let k = 0;
  while (k < r.maxIter) {
    const next = step(k, s);
    k++;
    s = { x: next.x, lambda: next.lambda };
    const gn = vnorm(next.hyper.data);
    const value = outer(s.x, s.lambda).item();
    outerHistory.push(value);
    gradNormHistory.push(gn);
    if (o.callback?.({ iteration: k, lambda: s.lambda, x: s.x, value, gradNorm: gn }) === true) break;
    // Single-loop methods also need their auxiliary variables settled, not only a small λ-step.
    if (Math.max(gn, next.stationarity ?? 0) <= r.tol) {
      converged = true;
      break;
    }
    if (!Number.isFinite(gn) || !Number.isFinite(value)) break;
  }
  return { x: s.x, lambda: s.lambda, outerHistory, gradNormHistory, converged, iterations: k };
}
