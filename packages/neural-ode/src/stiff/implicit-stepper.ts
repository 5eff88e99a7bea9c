// Shared state of the one-Jacobian, one-LU steppers (Rodas4, TR-BDF2): the Jacobian and its LU of a·I − b·J kept
// for as long as h does not change, the step's end points, and cubic Hermite dense output over the step.

import { DenseLu } from "../internal/dense-lu.js";
import type { ErrorNorm } from "../internal/error-norm.js";
import type { Rhs } from "../internal/rhs.js";
import type { Segment } from "../stepper.js";
import type { JacFunction } from "../types.js";
import { hermite, Jacobian, spectralRadius } from "./jacobian.js";

export abstract class ImplicitStepper {
  readonly adaptive = true;
  readonly y1: Float64Array;
  readonly f1: Float64Array;
  stiffness = Number.NaN;
  /** Estimate h·ρ(J) on each step (needed by the auto switch only). */
  wantStiffness = false;
  nlu = 0;
  protected readonly jacobian: Jacobian;
  protected readonly lu: DenseLu;
  protected readonly y0: Float64Array;
  protected readonly f0: Float64Array;
  protected luH = Number.NaN;
  protected rho = Number.NaN;
  protected t0 = 0;
  protected h = 0;

  constructor(
    protected readonly rhs: Rhs<any>,
    protected readonly norm: ErrorNorm,
    jac: JacFunction<any> | undefined,
    args: unknown,
  ) {
    const n = rhs.n;
    this.jacobian = new Jacobian(rhs, jac, args);
    this.lu = new DenseLu(n);
    this.y1 = new Float64Array(n);
    this.f1 = new Float64Array(n);
    this.y0 = new Float64Array(n);
    this.f0 = new Float64Array(n);
  }

  get njev(): number {
    return this.jacobian.njev;
  }

  /** Record the start of a step (for dense output). */
  protected begin(t: number, y: Float64Array, f0: Float64Array, h: number): void {
    this.t0 = t;
    this.h = h;
    this.y0.set(y);
    this.f0.set(f0);
  }

  /** J ← ∂f/∂y at (t, y); the LU must be refactored. */
  protected evaluateJacobian(t: number, y: Float64Array, f0: Float64Array): void {
    this.jacobian.evaluate(t, y, f0);
    this.luH = Number.NaN;
    if (this.wantStiffness) this.rho = spectralRadius(this.jacobian.J, this.rhs.n);
  }

  /** LU of diag·I − scale·J, reused while the step size h is unchanged; false when singular. */
  protected factorShifted(h: number, diag: number, scale: number): boolean {
    if (h === this.luH) return true;
    const n = this.rhs.n;
    const J = this.jacobian.J;
    const a = this.lu.lu;
    for (let i = 0; i < n * n; i++) a[i] = -scale * J[i]!;
    for (let i = 0; i < n; i++) a[i * n + i] = a[i * n + i]! + diag;
    this.nlu++;
    this.luH = h;
    return this.lu.factor();
  }

  interpolate(theta: number, out: Float64Array): void {
    hermite(theta, this.h, this.y0, this.f0, this.y1, this.f1, out);
  }

  segment(): Segment {
    const [y0, f0, y1, f1, h] = [this.y0.slice(), this.f0.slice(), this.y1.slice(), this.f1.slice(), this.h];
    return { t0: this.t0, h, interpolate: (theta, out) => hermite(theta, h, y0, f0, y1, f1, out) };
  }
}
