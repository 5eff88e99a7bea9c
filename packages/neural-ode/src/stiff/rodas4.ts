// RODAS4: 6-stage, order 4(3), L-stable, stiffly accurate Rosenbrock method (Hairer & Wanner, Solving ODEs II,
// §IV.7; coefficients of Hairer's rodas.f in the "K" form used by KPP, Sandu et al. 1997).
// Each step: one Jacobian (reused after rejections at the same point), one LU of (1/(hγ))I − J, six solves.

import type { ErrorNorm } from "../internal/error-norm.js";
import type { Rhs } from "../internal/rhs.js";
import type { Stepper } from "../stepper.js";
import type { JacFunction } from "../types.js";
import { ImplicitStepper } from "./implicit-stepper.js";

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

export class Rodas4 extends ImplicitStepper implements Stepper {
  readonly name = "rodas4";
  readonly errExponent = 4;
  private readonly k: Float64Array[];
  private readonly ynew: Float64Array;
  private readonly fcn: Float64Array;
  private readonly dfdt: Float64Array;
  private jacFresh = false;

  constructor(rhs: Rhs<any>, norm: ErrorNorm, jac: JacFunction<any> | undefined, args: unknown) {
    super(rhs, norm, jac, args);
    const n = rhs.n;
    this.k = Array.from({ length: S }, () => new Float64Array(n));
    this.ynew = new Float64Array(n);
    this.fcn = new Float64Array(n);
    this.dfdt = new Float64Array(n);
  }

  /** Forget the Jacobian (the state changed outside this stepper). */
  invalidate(): void {
    this.jacFresh = false;
  }

  attempt(t: number, y: Float64Array, f0: Float64Array, h: number): number {
    const n = this.rhs.n;
    const { k, ynew, fcn, dfdt, lu, rhs } = this;
    this.begin(t, y, f0, h);
    if (!this.jacFresh) {
      this.evaluateJacobian(t, y, f0);
      this.jacobian.timeDerivative(t, y, f0, dfdt);
      this.jacFresh = true;
    }
    if (!this.factorShifted(h, 1 / (h * GAMMA[0]!), 1)) return Number.POSITIVE_INFINITY;
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
}
