// Shared bookkeeping of one minimisation run: stopping test, history, callback, result.
import { ValueError } from "@x/tensor";
import type { IterationInfo, MinimizeOptions, MinimizeResult } from "../types.js";
import { finitePoint, type Problem } from "./problem.js";
import { normInf } from "./vec.js";

export class Run {
  readonly tol: number;
  readonly maxIter: number;
  readonly history: number[] = [];
  readonly gradNorms: number[] = [];
  iterations = 0;

  constructor(
    readonly fn: string,
    readonly problem: Problem,
    readonly opts: MinimizeOptions,
  ) {
    this.tol = opts.tol ?? 1e-6;
    this.maxIter = opts.maxIter ?? 1000;
    if (!(this.tol >= 0)) throw new ValueError(`${fn}: tol must be ≥ 0, got ${opts.tol}`);
    if (!Number.isInteger(this.maxIter) || this.maxIter < 0) {
      throw new ValueError(`${fn}: maxIter must be a non-negative integer, got ${opts.maxIter}`);
    }
  }

  /** Records the point after an iteration (or x0); returns a stop message or null to continue. */
  record(x: Float64Array, f: number, g: Float64Array, gnorm = normInf(g)): string | null {
    this.history.push(f);
    this.gradNorms.push(gnorm);
    if (this.history.length > 1) {
      this.iterations++;
      const cb = this.opts.callback;
      if (cb) {
        const info: IterationInfo = {
          iteration: this.iterations,
          x: this.problem.unflatten(x),
          fun: f,
          gradNorm: gnorm,
        };
        if (cb(info) === true) return "stopped by callback";
      }
    }
    if (gnorm <= this.tol) return "converged: gradient norm ≤ tol";
    if (this.iterations >= this.maxIter) return "maximum number of iterations reached";
    return null;
  }

  /**
   * Evaluates f and ∇f at the start point (x0 unless given) and records it. `done` is the result to return at once
   * when they are not finite; otherwise `message` is record's answer. `gnorm` replaces ‖g‖∞ (bound constraints).
   */
  start(
    x: Float64Array = this.problem.x0,
    gnorm?: (x: Float64Array, g: Float64Array) => number,
  ): { x: Float64Array; f: number; g: Float64Array; message: string | null; done?: MinimizeResult } {
    const { f, g } = this.problem.valueGrad(x);
    if (!finitePoint(f, g)) {
      this.record(x, f, g);
      return { x, f, g, message: NONFINITE_START, done: this.result(x, f, g, NONFINITE_START) };
    }
    return { x, f, g, message: this.record(x, f, g, gnorm?.(x, g)) };
  }

  result(x: Float64Array, f: number, g: Float64Array, message: string): MinimizeResult {
    const c = this.problem.counts;
    return {
      x: this.problem.unflatten(x),
      fun: f,
      grad: this.problem.unflatten(g),
      iterations: this.iterations,
      nfev: c.nfev,
      ngev: c.ngev,
      nhev: c.nhev,
      converged: message.startsWith("converged"),
      message,
      history: this.history,
      gradNorms: this.gradNorms,
    };
  }
}

export const NONFINITE_START = "f or its gradient is not finite at x0";
export const NONFINITE_STEP =
  "f or its gradient became non-finite and no finite step was found; returning the last good iterate";

/**
 * The objective as a line search sees it, remembering whether any trial point was non-finite, so that a failed
 * search can say whether it hit a non-finite region or ran out of precision.
 */
export class WatchedObjective {
  nonFinite = false;

  constructor(private readonly problem: Problem) {}

  readonly value = (x: Float64Array): number => {
    const v = this.problem.value(x);
    if (!Number.isFinite(v)) this.nonFinite = true;
    return v;
  };

  readonly valueGrad = (x: Float64Array): { f: number; g: Float64Array } => {
    const r = this.problem.valueGrad(x);
    if (!finitePoint(r.f, r.g)) this.nonFinite = true;
    return r;
  };

  /**
   * After a backtracking search: the accepted point with f and ∇f evaluated there, or the stop message (the
   * search failed, or ∇f is not finite at the point it accepted on f alone).
   */
  acceptBacktracking(ls: { ok: boolean; x: Float64Array }): { x: Float64Array; f: number; g: Float64Array } | string {
    if (!ls.ok) return this.failure();
    const r = this.problem.valueGrad(ls.x);
    if (!finitePoint(r.f, r.g)) return NONFINITE_STEP;
    return { x: ls.x, f: r.f, g: r.g };
  }

  /** The stop message after a failed line search. */
  failure(): string {
    return this.nonFinite
      ? NONFINITE_STEP
      : "line search failed: no step with sufficient decrease (precision loss near a minimum?)";
  }
}
