// TR-BDF2 as an ESDIRK (Bank et al. 1985; Hosea & Shampine, "Analysis and implementation of TR-BDF2", APNUM 20
// (1996) 21–37): a trapezoidal stage to t + γh then BDF2, γ = 2 − √2, L-stable, order 2 with an embedded order-3
// estimate filtered through (I − hdJ)⁻¹ (as in MATLAB's ode23tb). Both implicit stages share one LU of (I − hdJ).

import type { ErrorNorm } from "../internal/error-norm.js";
import type { Rhs } from "../internal/rhs.js";
import type { Stepper } from "../stepper.js";
import type { JacFunction } from "../types.js";
import { ImplicitStepper } from "./implicit-stepper.js";

const GAM = 2 - Math.SQRT2;
const D = GAM / 2;
const W = Math.SQRT2 / 4;
// b − b̂ with b = [w, w, d] and b̂ = [(1 − w)/3, (3w + 1)/3, d/3]
const E = [W - (1 - W) / 3, W - (3 * W + 1) / 3, D - D / 3];
const MAX_NEWTON = 8;

export class TrBdf2 extends ImplicitStepper implements Stepper {
  readonly name = "trbdf2";
  readonly errExponent = 3;
  private readonly z2: Float64Array;
  private readonly f2: Float64Array;
  private readonly rhsv: Float64Array;
  private readonly delta: Float64Array;
  private readonly fz: Float64Array;
  private readonly err: Float64Array;
  private jacFresh = false;
  private jacAtStep = false;

  constructor(rhs: Rhs<any>, norm: ErrorNorm, jac: JacFunction<any> | undefined, args: unknown) {
    super(rhs, norm, jac, args);
    const n = rhs.n;
    this.z2 = new Float64Array(n);
    this.f2 = new Float64Array(n);
    this.rhsv = new Float64Array(n);
    this.delta = new Float64Array(n);
    this.fz = new Float64Array(n);
    this.err = new Float64Array(n);
  }

  private refreshJacobian(t: number, y: Float64Array, f0: Float64Array): void {
    this.evaluateJacobian(t, y, f0);
    this.jacFresh = true;
    this.jacAtStep = true;
  }

  /** Solve z = c + h·d·f(t, z) by simplified Newton from the guess in z; fz ← f(t, z). */
  private newton(t: number, z: Float64Array, c: Float64Array, h: number, y: Float64Array): boolean {
    const n = this.rhs.n;
    const { delta, fz, lu } = this;
    let prev = Number.POSITIVE_INFINITY;
    for (let it = 0; it < MAX_NEWTON; it++) {
      this.rhs.eval(t, z, fz);
      for (let i = 0; i < n; i++) delta[i] = c[i]! + h * D * fz[i]! - z[i]!;
      lu.solve(delta);
      for (let i = 0; i < n; i++) z[i] = z[i]! + delta[i]!;
      const dn = this.norm.normAt(delta, y);
      if (!Number.isFinite(dn)) return false;
      const rate = dn / prev;
      // converged when the (contraction-corrected) increment is far below the tolerance
      if (dn < 1e-3 || (it > 0 && rate < 1 && (rate / (1 - rate)) * dn < 0.03)) {
        this.rhs.eval(t, z, fz);
        return true;
      }
      if (it > 0 && rate > 0.9) return false;
      prev = dn;
    }
    return false;
  }

  attempt(t: number, y: Float64Array, f0: Float64Array, h: number): number {
    const n = this.rhs.n;
    const { z2, f2, rhsv, fz, err, y1 } = this;
    this.begin(t, y, f0, h);
    if (!this.jacFresh) this.refreshJacobian(t, y, f0);
    for (let attempt = 0; attempt < 2; attempt++) {
      if (!this.factorShifted(h, 1, h * D)) return Number.POSITIVE_INFINITY;
      // trapezoidal stage to t + γh
      for (let i = 0; i < n; i++) {
        rhsv[i] = y[i]! + h * D * f0[i]!;
        z2[i] = y[i]! + GAM * h * f0[i]!;
      }
      let ok = this.newton(t + GAM * h, z2, rhsv, h, y);
      if (ok) {
        f2.set(fz);
        // BDF2 stage to t + h
        for (let i = 0; i < n; i++) {
          rhsv[i] = y[i]! + h * W * (f0[i]! + f2[i]!);
          y1[i] = y[i]! + h * (W * f0[i]! + (W + D) * f2[i]!);
        }
        ok = this.newton(t + h, y1, rhsv, h, y);
      }
      if (ok) break;
      // Newton failed: with a stale Jacobian retry once with a fresh one, else reject the step.
      if (this.jacAtStep) {
        this.stiffness = Math.abs(h) * this.rho;
        return Number.POSITIVE_INFINITY;
      }
      this.refreshJacobian(t, y, f0);
    }
    this.f1.set(fz);
    for (let i = 0; i < n; i++) err[i] = h * (E[0]! * f0[i]! + E[1]! * f2[i]! + E[2]! * fz[i]!);
    this.lu.solve(err);
    this.stiffness = Math.abs(h) * this.rho;
    return this.norm.norm(err, y, y1);
  }

  accept(): void {
    // keep the Jacobian for the next step (a Newton failure refreshes it), only the LU follows h
    this.jacAtStep = false;
  }
}
