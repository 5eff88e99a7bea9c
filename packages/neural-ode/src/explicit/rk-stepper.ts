// Generic explicit Runge–Kutta step over a Butcher tableau (Hairer, Nørsett & Wanner I, §II.4–II.6): embedded error
// estimate, stiffness indicator h·‖k_s − k_{s−1}‖/‖y1 − Y_{s−1}‖ (Hairer–Wanner II §IV.2 / dopri5's "stiffness
// detection"), dense output from the tableau's continuous extension.
import type { ErrorNorm } from "../internal/error-norm.js";
import type { Rhs } from "../internal/rhs.js";
import type { Segment, Stepper } from "../stepper.js";
import { type ButcherTableau, hermiteWeights } from "./tableau.js";

export class RkStepper implements Stepper {
  readonly name: string;
  readonly errExponent: number;
  readonly adaptive: boolean;
  readonly y1: Float64Array;
  readonly f1: Float64Array;
  stiffness = Number.NaN;
  /** Rows k_0..k_s and the extra dense stages, each of length n. */
  private readonly k: Float64Array[];
  private readonly tmp: Float64Array;
  private readonly err: Float64Array;
  private readonly w: Float64Array;
  private t0 = 0;
  private h = 0;
  private readonly y0: Float64Array;
  private extraDone = false;
  // Coefficients copied into typed arrays: the hot loops then see one element kind whatever the tableau.
  private readonly aFlat: Float64Array;
  private readonly bFlat: Float64Array;
  private readonly cFlat: Float64Array;
  private readonly eFlat: Float64Array | null;
  private readonly e3Flat: Float64Array | null;

  constructor(
    readonly tab: ButcherTableau,
    private readonly rhs: Rhs<any>,
    private readonly norm: ErrorNorm,
  ) {
    const n = rhs.n;
    this.name = tab.name;
    this.adaptive = tab.embeddedOrder > 0;
    this.errExponent = Math.min(tab.order, tab.embeddedOrder) + 1;
    const rows = tab.stages + 1 + (tab.extra ? tab.extra.c.length : 0);
    this.k = Array.from({ length: rows }, () => new Float64Array(n));
    this.y1 = new Float64Array(n);
    this.f1 = this.k[tab.stages]!;
    this.tmp = new Float64Array(n);
    this.err = new Float64Array(n);
    this.y0 = new Float64Array(n);
    this.w = new Float64Array(rows);
    const s = tab.stages;
    this.aFlat = new Float64Array(s * s);
    for (let i = 1; i < s; i++) for (let j = 0; j < i; j++) this.aFlat[i * s + j] = tab.a[i]![j] ?? 0;
    this.bFlat = Float64Array.from(tab.b);
    this.cFlat = Float64Array.from(tab.c);
    this.eFlat = tab.e ? Float64Array.from(tab.e) : null;
    this.e3Flat = tab.e3 ? Float64Array.from(tab.e3) : null;
  }

  attempt(t: number, y: Float64Array, f0: Float64Array, h: number): number {
    const { tab, k, tmp, rhs } = this;
    const n = rhs.n;
    const s = tab.stages;
    this.t0 = t;
    this.h = h;
    this.extraDone = false;
    const y0c = this.y0;
    const k0 = k[0]!;
    for (let m = 0; m < n; m++) {
      y0c[m] = y[m]!;
      k0[m] = f0[m]!;
    }
    const aF = this.aFlat;
    const bF = this.bFlat;
    for (let i = 1; i < s; i++) {
      const ki = k[i]!;
      for (let m = 0; m < n; m++) tmp[m] = y[m]!;
      for (let j = 0; j < i; j++) {
        const a = h * aF[i * s + j]!;
        if (a === 0) continue;
        const kj = k[j]!;
        for (let m = 0; m < n; m++) tmp[m] = tmp[m]! + a * kj[m]!;
      }
      rhs.eval(t + this.cFlat[i]! * h, tmp, ki);
    }
    // tmp now holds the last stage state Y_{s−1} (for s ≥ 2); keep it for the stiffness indicator.
    const y1 = this.y1;
    for (let m = 0; m < n; m++) y1[m] = y[m]!;
    for (let j = 0; j < s; j++) {
      const b = h * bF[j]!;
      if (b === 0) continue;
      const kj = k[j]!;
      for (let m = 0; m < n; m++) y1[m] = y1[m]! + b * kj[m]!;
    }
    rhs.eval(t + h, y1, k[s]!);
    if (s >= 2) {
      let num = 0;
      let den = 0;
      const ks = k[s]!;
      const kl = k[s - 1]!;
      for (let m = 0; m < n; m++) {
        const dk = ks[m]! - kl[m]!;
        const dy = y1[m]! - tmp[m]!;
        num += dk * dk;
        den += dy * dy;
      }
      this.stiffness = den > 0 ? Math.abs(h) * Math.sqrt(num / den) : 0;
    }
    if (!this.eFlat) return 0;
    return this.errorNorm(y, h);
  }

  private errorNorm(y: Float64Array, h: number): number {
    const { k, err } = this;
    const n = this.rhs.n;
    const rows = this.tab.stages + 1;
    combineRows(this.eFlat!, h, k, rows, err, n);
    const e5 = this.norm.norm(err, y, this.y1);
    if (!this.e3Flat) return e5;
    // DOP853: ‖err5‖²/sqrt(‖err5‖² + 0.01‖err3‖²) (Hairer's dop853.f), which behaves like an 8th-order estimate.
    combineRows(this.e3Flat, h, k, rows, err, n);
    const e3 = this.norm.norm(err, y, this.y1);
    const d = e5 * e5 + 0.01 * e3 * e3;
    return d > 0 ? (e5 * e5) / Math.sqrt(d) : 0;
  }

  accept(): void {}

  private ensureExtra(): void {
    const ex = this.tab.extra;
    if (!ex || this.extraDone) return;
    const { k, tmp, rhs, y0, h } = this;
    const n = rhs.n;
    const base = this.tab.stages + 1;
    for (let q = 0; q < ex.c.length; q++) {
      const aq = ex.a[q]!;
      for (let m = 0; m < n; m++) {
        let acc = 0;
        for (let j = 0; j < aq.length; j++) acc += aq[j]! * k[j]![m]!;
        tmp[m] = y0[m]! + h * acc;
      }
      rhs.eval(this.t0 + ex.c[q]! * h, tmp, k[base + q]!);
    }
    this.extraDone = true;
  }

  private weights(theta: number, w: Float64Array): void {
    if (this.tab.dense) this.tab.dense(theta, w);
    else hermiteWeights(this.tab.b, this.tab.stages, theta, w);
  }

  interpolate(theta: number, out: Float64Array): void {
    this.ensureExtra();
    interpolateRows(this.weights.bind(this), theta, this.y0, this.h, this.k, this.w, out);
  }

  segment(): Segment {
    this.ensureExtra();
    const y0 = this.y0.slice();
    const k = this.k.map((r) => r.slice());
    const h = this.h;
    const w = new Float64Array(this.w.length);
    const weights = this.weights.bind(this);
    return { t0: this.t0, h, interpolate: (theta, out) => interpolateRows(weights, theta, y0, h, k, w, out) };
  }
}

/** err ← h·Σ_j coef_j k_j over the first `rows` rows. */
function combineRows(
  coef: Float64Array,
  h: number,
  k: Float64Array[],
  rows: number,
  err: Float64Array,
  n: number,
): void {
  for (let m = 0; m < n; m++) err[m] = 0;
  for (let j = 0; j < rows; j++) {
    const c = h * coef[j]!;
    if (c === 0) continue;
    const kj = k[j]!;
    for (let m = 0; m < n; m++) err[m] = err[m]! + c * kj[m]!;
  }
}

function interpolateRows(
  weights: (theta: number, w: Float64Array) => void,
  theta: number,
  y0: Float64Array,
  h: number,
  k: Float64Array[],
  w: Float64Array,
  out: Float64Array,
): void {
  weights(theta, w);
  const n = y0.length;
  for (let m = 0; m < n; m++) {
    let acc = 0;
    for (let j = 0; j < k.length; j++) acc += w[j]! * k[j]![m]!;
    out[m] = y0[m]! + h * acc;
  }
}
