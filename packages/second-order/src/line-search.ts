// Line searches: strong-Wolfe bracketing + zoom with safeguarded cubic interpolation (Nocedal &
// Wright, Numerical Optimization, 2nd ed., Algorithms 3.5–3.6) and Armijo backtracking (ibid. Alg. 3.1).
// A trial point where f or ∇f is not finite is treated as "step too long". Near a minimiser the
// change in f drowns in rounding (|Δf| ≲ ε|f|) long before ∇f does, so a trial whose f is within
// epsF of f(0) may instead pass Hager & Zhang's approximate Armijo test φ'(α) ≤ (2c1 − 1)φ'(0)
// (SIAM J. Optim. 16(1), 2005), which uses the still-accurate derivative.
import { axpy, dot } from "./internal/vec.js";

export interface LineSearchPoint {
  alpha: number;
  x: Float64Array;
  f: number;
  g: Float64Array;
  /** Directional derivative ∇f(x + αp)ᵀp. */
  d: number;
}

export interface StrongWolfeOptions {
  c1?: number;
  c2?: number;
  /** Maximum function+gradient evaluations (default 30). */
  maxEvals?: number;
  alphaMax?: number;
}

export interface LineSearchResult {
  /** False when no point satisfying the conditions was found (point is then the best Armijo point, or null). */
  ok: boolean;
  point: LineSearchPoint | null;
  evals: number;
}

/** Minimiser of the cubic through (a, fa, da), (b, fb, db); NaN when it does not exist. */
function cubicMin(a: number, fa: number, da: number, b: number, fb: number, db: number): number {
  const d1 = da + db - (3 * (fa - fb)) / (a - b);
  const disc = d1 * d1 - da * db;
  if (!(disc >= 0)) return Number.NaN;
  const d2 = Math.sign(b - a) * Math.sqrt(disc);
  return b - ((b - a) * (db + d2 - d1)) / (db - da + 2 * d2);
}

/**
 * Finds α with f(x+αp) ≤ f + c1 α gᵀp and |∇f(x+αp)ᵀp| ≤ c2 |gᵀp|, starting from alpha0.
 * `evaluate` returns f and ∇f at a point.
 */
export function strongWolfe(
  evaluate: (x: Float64Array) => { f: number; g: Float64Array },
  x: Float64Array,
  p: Float64Array,
  f0: number,
  d0: number,
  alpha0: number,
  opts: StrongWolfeOptions = {},
): LineSearchResult {
  const c1 = opts.c1 ?? 1e-4;
  const c2 = opts.c2 ?? 0.9;
  const maxEvals = opts.maxEvals ?? 30;
  const alphaMax = opts.alphaMax ?? 1e10;
  let evals = 0;
  const at = (alpha: number): LineSearchPoint => {
    evals++;
    const xa = axpy(x, alpha, p);
    const { f, g } = evaluate(xa);
    const d = dot(g, p);
    return Number.isFinite(f) && Number.isFinite(d)
      ? { alpha, x: xa, f, g, d }
      : { alpha, x: xa, f: Number.POSITIVE_INFINITY, g, d: Number.NaN };
  };
  const epsF = 1e-10 * (1 + Math.abs(f0));
  // Inside the rounding band of f(0) the value comparisons are noise: judge by the derivative only.
  const flat = (pt: LineSearchPoint) => Math.abs(pt.f - f0) <= epsF;
  const noisy = (pt: LineSearchPoint) => flat(pt) && pt.d <= (2 * c1 - 1) * d0;
  const armijo = (pt: LineSearchPoint) => (flat(pt) ? noisy(pt) : pt.f <= f0 + c1 * pt.alpha * d0);
  const curvature = (pt: LineSearchPoint) => Math.abs(pt.d) <= -c2 * d0;
  const start: LineSearchPoint = { alpha: 0, x, f: f0, g: new Float64Array(0), d: d0 };

  const zoom = (lo: LineSearchPoint, hi: LineSearchPoint): LineSearchResult => {
    while (evals < maxEvals) {
      const lower = Math.min(lo.alpha, hi.alpha);
      const width = Math.abs(hi.alpha - lo.alpha);
      if (width <= 1e-16 * Math.max(1, hi.alpha)) break;
      let a =
        Number.isFinite(hi.f) && Number.isFinite(hi.d)
          ? cubicMin(lo.alpha, lo.f, lo.d, hi.alpha, hi.f, hi.d)
          : Number.NaN;
      // Keep the trial inside the central 80% of the bracket so the bracket shrinks geometrically.
      if (!(a >= lower + 0.1 * width && a <= lower + 0.9 * width)) a = 0.5 * (lo.alpha + hi.alpha);
      const pt = at(a);
      if (!armijo(pt) || (pt.f >= lo.f && !noisy(pt))) {
        hi = pt;
      } else {
        if (curvature(pt)) return { ok: true, point: pt, evals };
        if (pt.d * (hi.alpha - lo.alpha) >= 0) hi = lo;
        lo = pt;
      }
    }
    return { ok: false, point: lo.alpha > 0 ? lo : null, evals };
  };

  let prev = start;
  let alpha = Math.min(alpha0, alphaMax);
  while (evals < maxEvals) {
    const pt = at(alpha);
    if (!armijo(pt) || (prev.alpha > 0 && pt.f >= prev.f && !noisy(pt))) return zoom(prev, pt);
    if (curvature(pt)) return { ok: true, point: pt, evals };
    if (pt.d >= 0) return zoom(pt, prev);
    prev = pt;
    if (alpha >= alphaMax) break;
    alpha = Math.min(2 * alpha, alphaMax);
  }
  return { ok: false, point: prev.alpha > 0 ? prev : null, evals };
}

export interface BacktrackingOptions {
  c1?: number;
  /** Step shrink factor in (0, 1) (default 0.5). */
  shrink?: number;
  maxEvals?: number;
}

/**
 * Armijo backtracking from alpha0: returns the first α with sufficient decrease and a finite value.
 * With `slope` (x ↦ ∇f(x)ᵀp), a trial whose f is within rounding of f0 is judged by the approximate
 * Armijo test instead.
 */
export function backtracking(
  value: (x: Float64Array) => number,
  x: Float64Array,
  p: Float64Array,
  f0: number,
  d0: number,
  alpha0: number,
  opts: BacktrackingOptions = {},
  slope?: (x: Float64Array) => number,
): { ok: boolean; alpha: number; x: Float64Array; f: number; evals: number } {
  const c1 = opts.c1 ?? 1e-4;
  const shrink = opts.shrink ?? 0.5;
  const maxEvals = opts.maxEvals ?? 60;
  let alpha = alpha0;
  for (let k = 1; k <= maxEvals; k++) {
    const xa = axpy(x, alpha, p);
    const f = value(xa);
    const ok =
      slope && Math.abs(f - f0) <= 1e-10 * (1 + Math.abs(f0))
        ? slope(xa) <= (2 * c1 - 1) * d0
        : Number.isFinite(f) && f <= f0 + c1 * alpha * d0;
    if (ok) return { ok: true, alpha, x: xa, f, evals: k };
    alpha *= shrink;
  }
  return { ok: false, alpha: 0, x, f: f0, evals: maxEvals };
}
