// Jacobians for the stiff solvers: the user's analytic ∂f/∂y, or forward differences with Hairer's increment
// δ_j = sqrt(ε·max(1e-5, |y_j|)) (radau5.f / rodas.f), plus ∂f/∂t by a forward difference.
import { ValueError } from "@x/tensor";
import type { Rhs } from "../internal/rhs.js";
import type { JacFunction } from "../types.js";

export class Jacobian {
  njev = 0;
  readonly J: Float64Array;
  private readonly yp: Float64Array;
  private readonly fp: Float64Array;
  constructor(
    private readonly rhs: Rhs<any>,
    private readonly jac: JacFunction<any> | undefined,
    private readonly args: unknown,
  ) {
    const n = rhs.n;
    this.J = new Float64Array(n * n);
    this.yp = new Float64Array(n);
    this.fp = new Float64Array(n);
  }

  /** J ← ∂f/∂y at (t, y) where f0 = f(t, y). */
  evaluate(t: number, y: Float64Array, f0: Float64Array): Float64Array {
    const n = this.rhs.n;
    const J = this.J;
    this.njev++;
    if (this.jac) {
      const r = this.jac(t, y, this.args, J);
      if (r !== undefined && r !== null && r !== J) {
        if (r.length === n && typeof r[0] !== "number") {
          for (let i = 0; i < n; i++) {
            const row = r[i] as ArrayLike<number>;
            if (!row || row.length !== n) throw new ValueError(`jac: row ${i} must have length ${n}`);
            for (let j = 0; j < n; j++) J[i * n + j] = row[j]!;
          }
        } else if (r.length === n * n) {
          for (let i = 0; i < n * n; i++) J[i] = r[i] as number;
        } else {
          throw new ValueError(`jac must return an ${n}×${n} matrix (nested or row-major), got length ${r.length}`);
        }
      }
      return J;
    }
    const { yp, fp } = this;
    yp.set(y);
    for (let j = 0; j < n; j++) {
      const yj = y[j]!;
      const d = Math.sqrt(Number.EPSILON * Math.max(1e-5, Math.abs(yj)));
      yp[j] = yj + d;
      this.rhs.eval(t, yp, fp);
      yp[j] = yj;
      for (let i = 0; i < n; i++) J[i * n + j] = (fp[i]! - f0[i]!) / d;
    }
    return J;
  }

  /** dfdt ← ∂f/∂t at (t, y) by a forward difference. */
  timeDerivative(t: number, y: Float64Array, f0: Float64Array, dfdt: Float64Array): void {
    const d = Math.sqrt(Number.EPSILON) * Math.max(1e-5, Math.abs(t));
    this.rhs.eval(t + d, y, this.fp);
    for (let i = 0; i < dfdt.length; i++) dfdt[i] = (this.fp[i]! - f0[i]!) / d;
  }
}

/** Spectral-radius estimate of J by a few power iterations (used as the stiffness indicator of implicit steps). */
export function spectralRadius(J: Float64Array, n: number, iters = 10): number {
  let v = new Float64Array(n).fill(1 / Math.sqrt(n));
  let w = new Float64Array(n);
  let lambda = 0;
  for (let it = 0; it < iters; it++) {
    let s = 0;
    for (let i = 0; i < n; i++) {
      let acc = 0;
      for (let j = 0; j < n; j++) acc += J[i * n + j]! * v[j]!;
      w[i] = acc;
      s += acc * acc;
    }
    lambda = Math.sqrt(s);
    if (lambda === 0 || !Number.isFinite(lambda)) return lambda;
    for (let i = 0; i < n; i++) w[i] = w[i]! / lambda;
    const tmp = v;
    v = w;
    w = tmp;
  }
  return lambda;
}

/** Hermite cubic through (y0, f0) and (y1, f1) over a step of size h. */
export function hermite(
  theta: number,
  h: number,
  y0: Float64Array,
  f0: Float64Array,
  y1: Float64Array,
  f1: Float64Array,
  out: Float64Array,
): void {
  const t2 = theta * theta;
  const t3 = t2 * theta;
  const h00 = 2 * t3 - 3 * t2 + 1;
  const h10 = t3 - 2 * t2 + theta;
  const h01 = -2 * t3 + 3 * t2;
  const h11 = t3 - t2;
  for (let i = 0; i < out.length; i++) out[i] = h00 * y0[i]! + h01 * y1[i]! + h * (h10 * f0[i]! + h11 * f1[i]!);
}
