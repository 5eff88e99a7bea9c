// RODAS4: 6-stage, order 4(3), L-stable, stiffly accurate Rosenbrock method (Hairer & Wanner, Solving ODEs II,
// §IV.7; coefficients of Hairer's rodas.f in the "K" form used by KPP, Sandu et al. 1997).
// Each step: one Jacobian (reused after rejections at the same point), one LU of (1/(hγ))I − J, six solves.

import { DenseLu } from "../internal/dense-lu.js";
import type { ErrorNorm } from "../internal/error-norm.js";
import type { Rhs } from "../internal/rhs.js";
import type { Segment, Stepper } from "../stepper.js";
import type { JacFunction } from "../types.js";
import { hermite, Jacobian, spectralRadius } from "./jacobian.js";

const S = 6;
const ALPHA = [0, 0.386, 0.21, 0.63, 1, 1];
const GAMMA = [0.25, -0.1043, 0.1035, -0.0362, 0, 0];
const A = [
  1.544, 0.9466785280815826, 0.2557011698983284, 3.314825187068521, 2.896124015972201, 0.9986419139977817,
  1.221224509226641, 6.019134481288629, 12.53708332932087, -0.687886036105895, 1.221224509226641, 6.019134481288629,
  12.53708332932087, -0.687886036105895, 1,
];
const C = [
  -5.6688, -2.430093356833875, -0.2063599157091915, -0.1073529058151375, -9.594562251023355, -20.47028614809616,
  7.496443313967647, -10.24680431464352, -33.99990352819905, 11.7089089320616, 8.083246795921522, -7.981132988064893,
  -31.52159432874371, 16.31930543123136, -6.058818238834054,
];
const M = [1.221224509226641, 6.019134481288629, 12.53708332932087, -0.687886036105895, 1, 1];
// Error estimate E = K_6 (the difference between the stiffly accurate solution and its embedded companion).

export class Rodas4 implements Stepper {
  readonly name = "rodas4";
  readonly errExponent = 4;
  readonly adaptive = true;
  readonly y1: Float64Array;
  readonly f1: Float64Array;
  stiffness = Number.NaN;
  /** Estimate h·ρ(J) on each step (needed by the auto switch only). */
  wantStiffness = false;
  nlu = 0;
  private readonly jacobian: Jacobian;
  private readonly lu: DenseLu;
  private readonly k: Float64Array[];
  private readonly ynew: Float64Array;
  private readonly fcn: Float64Array;
  private readonly dfdt: Float64Array;
  private readonly y0: Float64Array;
  private readonly f0: Float64Array;
  private jacFresh = false;
  private luH = Number.NaN;
  private rho = Number.NaN;
  private t0 = 0;
  private h = 0;

  constructor(
    private readonly rhs: Rhs<any>,
    private readonly norm: ErrorNorm,
    jac: JacFunction<any> | undefined,
    args: unknown,
  ) {
    const n = rhs.n;
    this.jacobian = new Jacobian(rhs, jac, args);
    this.lu = new DenseLu(n);
    this.k = Array.from({ length: S }, () => new Float64Array(n));
    this.y1 = new Float64Array(n);
    this.f1 = new Float64Array(n);
    this.ynew = new Float64Array(n);
    this.fcn = new Float64Array(n);
    this.dfdt = new Float64Array(n);
    this.y0 = new Float64Array(n);
    this.f0 = new Float64Array(n);
  }

  get njev(): number {
    return this.jacobian.njev;
  }

  /** Forget the Jacobian (the state changed outside this stepper). */
  invalidate(): void {
    this.jacFresh = false;
  }

  attempt(t: number, y: Float64Array, f0: Float64Array, h: number): number {
    const n = this.rhs.n;
    const { k, ynew, fcn, dfdt, lu, rhs } = this;
    this.t0 = t;
    this.h = h;
    this.y0.set(y);
    this.f0.set(f0);
    if (!this.jacFresh) {
      this.jacobian.evaluate(t, y, f0);
      this.jacobian.timeDerivative(t, y, f0, dfdt);
      this.jacFresh = true;
      this.luH = Number.NaN;
      if (this.wantStiffness) this.rho = spectralRadius(this.jacobian.J, n);
    }
    if (h !== this.luH) {
      const J = this.jacobian.J;
      const g = 1 / (h * GAMMA[0]!);
      for (let i = 0; i < n * n; i++) lu.lu[i] = -J[i]!;
      for (let i = 0; i < n; i++) lu.lu[i * n + i] = lu.lu[i * n + i]! + g;
      this.nlu++;
      this.luH = h;
      if (!lu.factor()) return Number.POSITIVE_INFINITY;
    }
    for (let s = 0; s < S; s++) {
      const ks = k[s]!;
      const off = (s * (s - 1)) / 2;
      if (s === 0) {
        fcn.set(f0);
      } else {
        ynew.set(y);
        for (let j = 0; j < s; j++) {
          const a = A[off + j]!;
          const kj = k[j]!;
          for (let i = 0; i < n; i++) ynew[i] = ynew[i]! + a * kj[i]!;
        }
        rhs.eval(t + ALPHA[s]! * h, ynew, fcn);
      }
      ks.set(fcn);
      for (let j = 0; j < s; j++) {
        const hc = C[off + j]! / h;
        const kj = k[j]!;
        for (let i = 0; i < n; i++) ks[i] = ks[i]! + hc * kj[i]!;
      }
      const hg = h * GAMMA[s]!;
      if (hg !== 0) for (let i = 0; i < n; i++) ks[i] = ks[i]! + hg * dfdt[i]!;
      lu.solve(ks);
    }
    const y1 = this.y1;
    for (let i = 0; i < n; i++) {
      let acc = y[i]!;
      for (let j = 0; j < S; j++) acc += M[j]! * k[j]![i]!;
      y1[i] = acc;
    }
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(y1[i]!)) return Number.POSITIVE_INFINITY;
    }
    const err = this.norm.norm(k[S - 1]!, y, y1);
    this.stiffness = Math.abs(h) * this.rho;
    if (err <= 1) rhs.eval(t + h, y1, this.f1);
    return err;
  }

  accept(): void {
    this.jacFresh = false;
  }

  interpolate(theta: number, out: Float64Array): void {
    hermite(theta, this.h, this.y0, this.f0, this.y1, this.f1, out);
  }

  segment(): Segment {
    const [y0, f0, y1, f1, h] = [this.y0.slice(), this.f0.slice(), this.y1.slice(), this.f1.slice(), this.h];
    return { t0: this.t0, h, interpolate: (theta, out) => hermite(theta, h, y0, f0, y1, f1, out) };
  }
}
