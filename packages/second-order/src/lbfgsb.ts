// Bound-constrained L-BFGS, a projected two-metric variant (Bertsekas 1982, "Projected Newton methods
// for optimization problems with simple constraints"; Kim, Sra & Dhillon 2010) rather than the
// generalized-Cauchy-point L-BFGS-B of Byrd, Lu, Nocedal & Zhu (1995). Variables within ε of a bound
// whose step points outward are held fixed; the free ones get the L-BFGS direction on the gradient
// with the fixed entries zeroed, which keeps gᵀd < 0; the step is an Armijo backtrack along the
// projection arc x(α) = P(x + αd). Stopping test: ‖P(x − ∇f) − x‖∞ ≤ tol (the KKT residual).
import { ShapeError, Tensor, ValueError } from "@x/tensor";
import { finitePoint, flattenValues, type Problem } from "./internal/problem.js";
import { curvatureOk } from "./internal/quasi-newton.js";
import { Run } from "./internal/run.js";
import { dot, sub } from "./internal/vec.js";
import { lbfgsModel } from "./lbfgs.js";
import type { MinimizeOptions, MinimizeResult } from "./types.js";

export type Bound = MinimizeOptions["lower"];

function boundVector(b: Bound, n: number, fill: number, what: string): Float64Array {
  if (b === null || b === undefined) return new Float64Array(n).fill(fill);
  if (typeof b === "number") return new Float64Array(n).fill(b);
  const v = b instanceof Tensor ? b.data : Float64Array.from(b as ArrayLike<number>);
  if (v.length !== n) throw new ShapeError(`minimize(lbfgsb): ${what} has ${v.length} entries, x0 has ${n}`);
  return flattenValues(Float64Array.from(v), n, what);
}

/** Lower and upper bound vectors in the flattened order of x0 (±Infinity = unbounded). */
export function checkBounds(lower: Bound, upper: Bound, n: number): { lo: Float64Array; hi: Float64Array } {
  const lo = boundVector(lower, n, -Infinity, "lower");
  const hi = boundVector(upper, n, Infinity, "upper");
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(lo[i]!) || Number.isNaN(hi[i]!)) {
      throw new ValueError(`minimize(lbfgsb): lower/upper must not be NaN (index ${i})`);
    }
    if (lo[i]! > hi[i]!) {
      throw new ValueError(`minimize(lbfgsb): lower[${i}] = ${lo[i]} exceeds upper[${i}] = ${hi[i]}`);
    }
  }
  return { lo, hi };
}

function project(x: Float64Array, lo: Float64Array, hi: Float64Array): Float64Array {
  return x.map((v, i) => Math.min(hi[i]!, Math.max(lo[i]!, v)));
}

/** ‖P(x − g) − x‖∞: zero exactly at a KKT point of the box problem. */
export function projectedGradientNorm(x: Float64Array, g: Float64Array, lo: Float64Array, hi: Float64Array): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    const d = Math.abs(Math.min(hi[i]!, Math.max(lo[i]!, x[i]! - g[i]!)) - x[i]!);
    if (d > m || Number.isNaN(d)) m = d;
  }
  return m;
}

/**
 * Armijo's f(x + s) ≤ f(x) + c₁·gᵀs, or — once f cannot resolve the decrease (both sides within a few ulps of f) —
 * Hager & Zhang's (2005) approximate Armijo test on slopes: f(x + s) ≤ f(x) + 4ε|f| and
 * ∇f(x + s)ᵀs ≤ (2δ − 1)·gᵀs with δ = 0.1, which on a quadratic still means a true decrease of 0.1·|gᵀs|.
 * Without it a gradient of ~5e-9 next to |f| ≈ 0.06 ended in "line search failed" (FC_SEED=8675309).
 */
function sufficientDecrease(
  f: number,
  g: Float64Array,
  ft: number,
  gt: Float64Array,
  s: Float64Array,
  c1: number,
): boolean {
  const gs = dot(g, s);
  if (ft <= f + c1 * gs) return true;
  return gs < 0 && ft <= f + 4 * 2 ** -52 * Math.abs(f) && dot(gt, s) <= -0.8 * gs;
}

export function lbfgsb(P: Problem, opts: MinimizeOptions): MinimizeResult {
  const { lo, hi } = checkBounds(opts.lower, opts.upper, P.n);
  const run = new Run("minimize(lbfgsb)", P, opts);
  const model = lbfgsModel(P.n, opts.memory ?? 10, opts.scaling ?? "dynamic");
  const c1 = opts.c1 ?? 1e-4;
  const maxLs = opts.maxLineSearch ?? 40;
  const start = run.start(project(P.x0, lo, hi), (x0, g0) => projectedGradientNorm(x0, g0, lo, hi));
  if (start.done) return start.done;
  let { x, f, g, message } = start;
  let steepest = false;
  let lastFixed = new Uint8Array(P.n);
  let bbStep = Number.NaN;
  while (message === null) {
    const eps = Math.min(1e-3, projectedGradientNorm(x, g, lo, hi));
    // Fixed set: near a bound with the gradient pushing outward.
    const fixed = new Uint8Array(P.n);
    for (let i = 0; i < P.n; i++) {
      if ((x[i]! <= lo[i]! + eps && g[i]! > 0) || (x[i]! >= hi[i]! - eps && g[i]! < 0)) fixed[i] = 1;
    }
    // Secant pairs describe the reduced Hessian of one free set only: start afresh when it changes.
    if (fixed.some((v, i) => v !== lastFixed[i])) model.reset();
    lastFixed = fixed;
    const gFree = g.map((v, i) => (fixed[i] ? 0 : v));
    const d = steepest || model.empty ? gFree.map((v) => -v) : model.direction(gFree);
    for (let i = 0; i < P.n; i++) {
      // Fixed variables take the projected steepest step onto their bound (Bertsekas' ε-active set);
      // zeroing a free variable's outward move near a bound only removes a term gᵢdᵢ ≥ 0, so gᵀd < 0.
      if (fixed[i]) d[i] = -g[i]!;
      else if ((x[i]! <= lo[i]! + eps && d[i]! < 0) || (x[i]! >= hi[i]! - eps && d[i]! > 0)) d[i] = 0;
    }
    // Steepest-descent restarts (the free set changed) start at the Barzilai–Borwein step sᵀy/yᵀy of the last
    // accepted pair: a unit step can overshoot across the active set every iteration, zig-zagging between
    // bounds while Armijo still (barely) accepts it.
    let alpha =
      model.empty || steepest
        ? Number.isFinite(bbStep)
          ? bbStep
          : Math.min(1, 1 / Math.max(1e-300, Math.sqrt(dot(d, d))))
        : 1;
    let accepted: { x: Float64Array; f: number; g: Float64Array } | null = null;
    if (dot(g, d) < 0) {
      for (let k = 0; k < maxLs; k++) {
        const xt = project(
          x.map((v, i) => v + alpha * d[i]!),
          lo,
          hi,
        );
        const r = P.valueGrad(xt);
        const moved = xt.some((v, i) => v !== x[i]);
        if (moved && finitePoint(r.f, r.g) && sufficientDecrease(f, g, r.f, r.g, sub(xt, x), c1)) {
          accepted = { x: xt, f: r.f, g: r.g };
          break;
        }
        alpha *= 0.5;
      }
    }
    if (accepted === null) {
      if (!steepest && !model.empty) {
        model.reset();
        steepest = true;
        continue;
      }
      message = "line search failed: no projected step with sufficient decrease (precision loss near a minimum?)";
      break;
    }
    steepest = false;
    const s = sub(accepted.x, x);
    // Keep the free components of y only, so the pairs model the reduced Hessian ∇²_FF f.
    const y = sub(accepted.g, g).map((v, i) => (fixed[i] ? 0 : v));
    const sy = dot(s, y);
    if (curvatureOk(sy, y)) model.update(s, y, sy);
    const yFull = sub(accepted.g, g);
    const syFull = dot(s, yFull);
    if (curvatureOk(syFull, yFull)) bbStep = syFull / dot(yFull, yFull);
    x = accepted.x;
    f = accepted.f;
    g = accepted.g;
    message = run.record(x, f, g, projectedGradientNorm(x, g, lo, hi));
  }
  return run.result(x, f, g, message);
}
