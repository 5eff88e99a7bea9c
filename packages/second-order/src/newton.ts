// Damped Newton: the exact Hessian (n autodiff HVPs), shifted by τI until Cholesky
// succeeds (Nocedal & Wright, Alg. 3.3), then Armijo backtracking from the full step α = 1.

import { choleskySolve } from "./internal/cholesky.js";
import type { Problem } from "./internal/problem.js";
import { Run, WatchedObjective } from "./internal/run.js";
import { dot, scaled } from "./internal/vec.js";
import { backtracking } from "./line-search.js";
import type { Hvp } from "./newton-cg.js";
import type { MinimizeOptions, MinimizeResult } from "./types.js";

/** Dense symmetric Hessian from n HVPs (symmetrised). */
export function denseHessian(hvp: Hvp, x: Float64Array, g: Float64Array): Float64Array {
  const n = x.length;
  const H = new Float64Array(n * n);
  const e = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    e.fill(0);
    e[j] = 1;
    const col = hvp(x, e, g);
    for (let i = 0; i < n; i++) H[i * n + j] = col[i]!;
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const m = 0.5 * (H[i * n + j]! + H[j * n + i]!);
      H[i * n + j] = m;
      H[j * n + i] = m;
    }
  }
  return H;
}

/** Solves (H + τI)p = −g with the smallest τ ∈ {0, β, 2β, 4β, …} that makes H + τI positive definite. */
export function shiftedNewtonStep(H: Float64Array, n: number, g: Float64Array): Float64Array {
  let minDiag = Number.POSITIVE_INFINITY;
  let scale = 0;
  for (let i = 0; i < n; i++) {
    minDiag = Math.min(minDiag, H[i * n + i]!);
    scale = Math.max(scale, Math.abs(H[i * n + i]!));
  }
  const beta = 1e-3 * Math.max(scale, 1);
  let tau = minDiag > 0 ? 0 : beta - minDiag;
  const rhs = scaled(g, -1);
  for (let k = 0; k < 100; k++) {
    const A = Float64Array.from(H);
    for (let i = 0; i < n; i++) A[i * n + i]! += tau;
    const p = choleskySolve(A, n, rhs);
    if (p?.every(Number.isFinite)) return p;
    tau = Math.max(2 * tau, beta);
  }
  return rhs;
}

export function dampedNewton(P: Problem, hvp: Hvp, opts: MinimizeOptions): MinimizeResult {
  const run = new Run("minimize(newton)", P, opts);
  const start = run.start();
  if (start.done) return start.done;
  let { x, f, g, message } = start;
  const watched = new WatchedObjective(P);
  while (message === null) {
    let p = shiftedNewtonStep(denseHessian(hvp, x, g), P.n, g);
    let d0 = dot(g, p);
    if (!(d0 < 0)) {
      p = scaled(g, -1);
      d0 = dot(g, p);
    }
    const ls = backtracking(watched.value, x, p, f, d0, 1, { c1: opts.c1 ?? 1e-4 }, (xa) => dot(P.valueGrad(xa).g, p));
    const next = watched.acceptBacktracking(ls);
    if (typeof next === "string") {
      message = next;
      break;
    }
    ({ x, f, g } = next);
    message = run.record(x, f, g);
  }
  return run.result(x, f, g, message);
}
