// Truncated Newton (Newton-CG): CG on ∇²f p = −∇f with HVPs, stopped at the forcing tolerance
// min(½, √‖g‖)‖g‖ or at negative curvature, then a strong-Wolfe line search from α = 1
// (Nocedal & Wright, Numerical Optimization, Alg. 7.1; Dembo & Steihaug 1983).

import type { Problem } from "./internal/problem.js";
import { Run, WatchedObjective } from "./internal/run.js";
import { cgStep, dot, norm2, scaled, sub } from "./internal/vec.js";
import { strongWolfe } from "./line-search.js";
import type { MinimizeOptions, MinimizeResult } from "./types.js";

export type Hvp = (x: Float64Array, v: Float64Array, g: Float64Array) => Float64Array;

/** CG for B p = −g; stops at ‖r‖ ≤ tol, at negative curvature (returns the last iterate, or −g at the start). */
export function truncatedCg(hv: (v: Float64Array) => Float64Array, g: Float64Array, tol: number, maxIter: number) {
  const n = g.length;
  const z = new Float64Array(n);
  const r = Float64Array.from(g);
  const d = scaled(g, -1);
  let rr = dot(r, r);
  // In-place updates: one pass per vector per CG step, no allocation besides the caller's HVP.
  for (let j = 0; j < maxIter; j++) {
    const Bd = hv(d);
    const dBd = dot(d, Bd);
    if (!(dBd > 0)) return { p: j === 0 ? scaled(g, -1) : z, negativeCurvature: true, iterations: j };
    const a = rr / dBd;
    const rrNew = cgStep(z, r, a, d, Bd);
    if (Math.sqrt(rrNew) <= tol) return { p: z, negativeCurvature: false, iterations: j + 1 };
    const beta = rrNew / rr;
    rr = rrNew;
    for (let i = 0; i < n; i++) d[i] = beta * d[i]! - r[i]!;
  }
  return { p: z, negativeCurvature: false, iterations: maxIter };
}

export function newtonCg(P: Problem, hvp: Hvp, opts: MinimizeOptions): MinimizeResult {
  const run = new Run("minimize(newton-cg)", P, opts);
  const start = run.start();
  if (start.done) return start.done;
  let { x, f, g, message } = start;
  const watched = new WatchedObjective(P);
  let fPrev: number | null = null;
  while (message === null) {
    const gn = norm2(g);
    const xk = x;
    const gk = g;
    const cg = truncatedCg((v) => hvp(xk, v, gk), g, Math.min(0.5, Math.sqrt(gn)) * gn, 20 * P.n);
    let p = cg.p;
    let d0 = dot(g, p);
    if (!(d0 < 0)) {
      p = scaled(g, -1);
      d0 = -gn * gn;
    }
    // SciPy's first trial α = min(1, 1.01·2(f − f_prev)/∇fᵀp) (Nocedal & Wright eq. 3.60): where the last
    // decrease predicts that the unit Newton step overshoots, start shorter and save evaluations.
    const alpha0 = fPrev === null ? 1 : Math.min(1, (2.02 * (f - fPrev)) / d0);
    fPrev = f;
    const ls = strongWolfe(watched.valueGrad, x, p, f, d0, alpha0 > 0 ? alpha0 : 1, {
      c1: opts.c1 ?? 1e-4,
      c2: opts.c2 ?? 0.9,
      maxEvals: opts.maxLineSearch ?? 30,
    });
    const pt = ls.point;
    if (pt === null || !(pt.f < f || ls.ok)) {
      message = watched.failure();
      break;
    }
    if (sub(pt.x, x).every((v) => v === 0)) {
      message = "step underflow: x did not change";
      break;
    }
    x = pt.x;
    f = pt.f;
    g = pt.g;
    message = run.record(x, f, g);
  }
  return run.result(x, f, g, message);
}
