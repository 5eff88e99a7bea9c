// Step-size selection: Hairer's starting step (HNW I, §II.4, "automatic step size selection") and the PI controller
// h_new = h·fac·err^(−0.7/q)·err_prev^(0.4/q) (Gustafsson 1991; Hairer–Wanner II, eq. IV.2.43c; Söderlind 2002).
import type { ErrorNorm } from "./internal/error-norm.js";
import type { Rhs } from "./internal/rhs.js";

export function initialStep(
  rhs: Rhs<any>,
  norm: ErrorNorm,
  t0: number,
  y0: Float64Array,
  f0: Float64Array,
  dir: number,
  order: number,
  span: number,
): number {
  const n = y0.length;
  const d0 = norm.normAt(y0, y0);
  const d1 = norm.normAt(f0, y0);
  let h0 = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : (0.01 * d0) / d1;
  h0 = Math.min(h0, span);
  const y1 = new Float64Array(n);
  for (let i = 0; i < n; i++) y1[i] = y0[i]! + dir * h0 * f0[i]!;
  const f1 = rhs.evalScratch(t0 + dir * h0, y1);
  const df = new Float64Array(n);
  for (let i = 0; i < n; i++) df[i] = f1[i]! - f0[i]!;
  const d2 = norm.normAt(df, y0) / h0;
  const h1 = Math.max(d1, d2) <= 1e-15 ? Math.max(1e-6, h0 * 1e-3) : (0.01 / Math.max(d1, d2)) ** (1 / (order + 1));
  return Math.min(100 * h0, h1, span);
}

export class PiController {
  private errPrev = 1e-4;
  constructor(
    private readonly safety = 0.9,
    private readonly facMin = 0.2,
    private readonly facMax = 10,
  ) {}

  /** Factor for the next step after an accepted step with error err ≤ 1. */
  accepted(err: number, afterReject: boolean, q: number): number {
    const e = Math.max(err, 1e-10);
    let fac = this.safety * e ** (-0.7 / q) * this.errPrev ** (0.4 / q);
    fac = Math.min(this.facMax, Math.max(this.facMin, fac));
    if (afterReject) fac = Math.min(fac, 1);
    this.errPrev = Math.max(err, 1e-4);
    return fac;
  }

  /** Factor after a rejected step (plain I control, as in Hairer's codes). */
  rejected(err: number, q: number): number {
    return Math.max(this.facMin, Math.min(0.9, this.safety * err ** (-1 / q)));
  }

  reset(): void {
    this.errPrev = 1e-4;
  }
}
