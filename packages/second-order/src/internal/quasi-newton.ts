// The outer loop shared by BFGS and L-BFGS: direction from an inverse-Hessian model, strong-Wolfe
// line search, secant update (skipped when sᵀy is not safely positive, Nocedal & Wright §6.1).
import { strongWolfe } from "../line-search.js";
import type { MinimizeOptions, MinimizeResult } from "../types.js";
import type { Problem } from "./problem.js";
import { Run, WatchedObjective } from "./run.js";
import { dot, norm2 } from "./vec.js";

export interface InverseHessianModel {
  /** −H·g (into `out` when given); H is the current inverse-Hessian approximation. */
  direction(g: Float64Array, out?: Float64Array): Float64Array;
  /** Adds the pair (s, y); the model copies what it keeps, so callers may reuse the buffers. */
  update(s: Float64Array, y: Float64Array, sy: number): void;
  reset(): void;
  readonly empty: boolean;
}

export function curvatureOk(sy: number, y: Float64Array): boolean {
  return sy > 1e-12 * dot(y, y) && Number.isFinite(sy);
}

export function quasiNewton(fn: string, P: Problem, opts: MinimizeOptions, model: InverseHessianModel): MinimizeResult {
  const run = new Run(fn, P, opts);
  const start = run.start();
  if (start.done) return start.done;
  let { x, f, g, message } = start;
  const watched = new WatchedObjective(P);
  let retried = false;
  // Work buffers reused every iteration (the model copies the pairs it keeps).
  const p = new Float64Array(P.n);
  const s = new Float64Array(P.n);
  const y = new Float64Array(P.n);
  while (message === null) {
    // A model may ignore `out` and return a fresh array.
    const dir = (): void => {
      const q = model.direction(g, p);
      if (q !== p) p.set(q);
    };
    dir();
    let d0 = dot(g, p);
    if (!(d0 < 0)) {
      // The model lost positive definiteness (rounding): restart from steepest descent.
      model.reset();
      dir();
      d0 = dot(g, p);
    }
    const alpha0 = model.empty ? Math.min(1, 1 / norm2(g)) : 1;
    const ls = strongWolfe(watched.valueGrad, x, p, f, d0, alpha0, {
      c1: opts.c1 ?? 1e-4,
      c2: opts.c2 ?? 0.9,
      maxEvals: opts.maxLineSearch ?? 30,
    });
    const pt = ls.point;
    if (pt === null || !(pt.f < f || ls.ok)) {
      if (!model.empty && !retried) {
        // One retry along steepest descent before giving up.
        model.reset();
        retried = true;
        continue;
      }
      message = watched.failure();
      break;
    }
    retried = false;
    let sy = 0;
    for (let i = 0; i < P.n; i++) {
      const si = pt.x[i]! - x[i]!;
      const yi = pt.g[i]! - g[i]!;
      s[i] = si;
      y[i] = yi;
      sy += si * yi;
    }
    if (curvatureOk(sy, y)) model.update(s, y, sy);
    x = pt.x;
    f = pt.f;
    g = pt.g;
    message = run.record(x, f, g);
  }
  return run.result(x, f, g, message);
}
