// Linear relaxations of scalar activations on [l, u]: lower line a_lo·x + b_lo ≤ σ(x) ≤ a_up·x + b_up.
// ReLU/LeakyReLU: triangle relaxation with a free lower slope α (CROWN, Zhang et al. 2018; α-CROWN, Xu et al. 2021).
// Sigmoid/Tanh: chord slope with offsets from the exact extremes of σ(x) − s·x (critical points solve σ'(x) = s).
import type { Activation } from "./network.js";
import { libDown, libUp, nextUp, UNIT_ROUNDOFF } from "./rounding.js";

export interface Relax {
  loSlope: number;
  loBias: number;
  upSlope: number;
  upBias: number;
}

/** Range of the lower slope α allowed for an unstable neuron (α·x ≤ σ(x) on all of ℝ), or null when not optimisable. */
export function alphaRange(act: Activation): [number, number] | null {
  if (act.kind === "relu") return [0, 1];
  if (act.kind === "leakyRelu") return act.alpha <= 1 ? [act.alpha, 1] : null;
  return null;
}

/** True when σ is linear on [l, u] (stable ReLU / LeakyReLU). */
export function isStable(act: Activation, l: number, u: number): boolean {
  return (act.kind === "relu" || act.kind === "leakyRelu") && (l >= 0 || u <= 0);
}

/** Adaptive default lower slope of CROWN: 1 if u > −l, otherwise the negative-side slope. */
export function defaultAlpha(act: Activation, l: number, u: number): number {
  const lo = act.kind === "leakyRelu" ? act.alpha : 0;
  return u > -l ? 1 : lo;
}

/** Raises the intercept of an upper line so it lies above σ at both ends (σ − line is convex for piecewise-linear σ). */
function liftUpper(f: (x: number) => number, s: number, b: number, l: number, u: number): number {
  const slack = Math.max(0, f(l) - (s * l + b), f(u) - (s * u + b));
  return nextUp(b + slack + 4 * UNIT_ROUNDOFF * (Math.abs(s * l) + Math.abs(s * u) + Math.abs(b)));
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

export function relax(act: Activation, l: number, u: number, alpha?: number): Relax {
  if (act.kind === "relu" || act.kind === "leakyRelu") {
    const neg = act.kind === "leakyRelu" ? act.alpha : 0;
    if (l >= 0) return { loSlope: 1, loBias: 0, upSlope: 1, upBias: 0 };
    if (u <= 0) return { loSlope: neg, loBias: 0, upSlope: neg, upBias: 0 };
    const f = (x: number) => (x > 0 ? x : neg * x);
    const s = (u - neg * l) / (u - l);
    const b = liftUpper(f, s, u - s * u, l, u);
    const a = alpha ?? defaultAlpha(act, l, u);
    return { loSlope: a, loBias: 0, upSlope: s, upBias: b };
  }
  const f = act.kind === "sigmoid" ? sigmoid : Math.tanh;
  const fl = f(l);
  const fu = f(u);
  if (!(u - l > 1e-12)) {
    // degenerate interval: constant bounds
    return { loSlope: 0, loBias: libDown(Math.min(fl, fu)), upSlope: 0, upBias: libUp(Math.max(fl, fu)) };
  }
  const s = (fu - fl) / (u - l);
  // points where σ'(x) = s inside (l, u)
  const cand = [l, u];
  if (act.kind === "sigmoid") {
    const disc = 1 - 4 * s;
    if (disc >= 0) {
      for (const p of [(1 + Math.sqrt(disc)) / 2, (1 - Math.sqrt(disc)) / 2]) {
        if (p > 0 && p < 1) cand.push(Math.log(p / (1 - p)));
      }
    }
  } else if (s <= 1) {
    const t = Math.sqrt(1 - s);
    if (t < 1) cand.push(Math.atanh(t), Math.atanh(-t));
  }
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const x of cand) {
    if (x < l || x > u) continue;
    const g = f(x) - s * x;
    lo = Math.min(lo, g);
    hi = Math.max(hi, g);
  }
  // margin for the inexact exp/tanh and the products s·x (|σ| ≤ 1)
  const m = 16 * UNIT_ROUNDOFF * (1 + Math.abs(s) * Math.max(Math.abs(l), Math.abs(u)));
  return { loSlope: s, loBias: libDown(lo - m), upSlope: s, upBias: libUp(hi + m) };
}

/** Sound interval image of a monotone activation. */
export function actInterval(act: Activation, l: number, u: number): [number, number] {
  switch (act.kind) {
    case "relu":
      return [Math.max(l, 0), Math.max(u, 0)];
    case "leakyRelu":
      // the IR only admits 0 ≤ alpha ≤ 1, where LeakyReLU is monotone
      return [l > 0 ? l : libDown(act.alpha * l), u > 0 ? u : libUp(act.alpha * u)];
    case "sigmoid":
      return [Math.max(0, libDown(sigmoid(l))), Math.min(1, libUp(sigmoid(u)))];
    case "tanh":
      return [Math.max(-1, libDown(Math.tanh(l))), Math.min(1, libUp(Math.tanh(u)))];
  }
}
