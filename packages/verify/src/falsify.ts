// Falsification: random sampling plus projected gradient descent (Madry et al. 2018) on the spec margin
// m(x) = maxᵢ (cᵢ·f(x) − dᵢ) over the input box; m(x) ≤ 0 is a counterexample. Any candidate is re-checked by a plain
// float64 forward pass before it is reported, so a returned counterexample always really violates the property.
import { forward, gradient, type Network } from "./network.js";
import type { VnnSpec } from "./vnnlib.js";

export interface Counterexample {
  x: Float64Array;
  y: Float64Array;
  /** index of the spec (disjunct) it violates */
  spec: number;
}

/** Margin maxᵢ(cᵢ·y − dᵢ) and the index of the maximising row. */
export function specMargin(spec: VnnSpec, y: ArrayLike<number>): { margin: number; row: number } {
  const m = y.length;
  let best = Number.NEGATIVE_INFINITY;
  let row = -1;
  for (let i = 0; i < spec.rows; i++) {
    let s = -spec.d[i]!;
    for (let j = 0; j < m; j++) s += spec.C[i * m + j]! * y[j]!;
    if (s > best) {
      best = s;
      row = i;
    }
  }
  return { margin: spec.rows === 0 ? Number.NEGATIVE_INFINITY : best, row };
}

/** Concrete float64 check: does x lie in the spec's box and violate it? */
export function checkCounterexample(net: Network, spec: VnnSpec, x: ArrayLike<number>): Float64Array | null {
  for (let i = 0; i < x.length; i++) if (!(x[i]! >= spec.lower[i]! && x[i]! <= spec.upper[i]!)) return null;
  const y = forward(net, x);
  return specMargin(spec, y).margin <= 0 ? y : null;
}

/** Small deterministic PRNG (mulberry32) so falsification is reproducible from a seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FalsifyOptions {
  samples?: number;
  restarts?: number;
  steps?: number;
  seed?: number;
  deadline?: number;
}

/** PGD on the margin from x0 inside [lower, upper]; returns the best point found. */
export function pgd(net: Network, spec: VnnSpec, x0: Float64Array, steps: number): { x: Float64Array; margin: number } {
  const n = x0.length;
  let x = Float64Array.from(x0);
  let best = { x: Float64Array.from(x), margin: specMargin(spec, forward(net, x)).margin };
  let step = 0.25;
  for (let s = 0; s < steps; s++) {
    const y = forward(net, x);
    const { margin, row } = specMargin(spec, y);
    if (margin < best.margin) best = { x: Float64Array.from(x), margin };
    if (margin <= 0) break;
    const c = spec.C.subarray(row * y.length, (row + 1) * y.length);
    const g = gradient(net, x, c);
    const nx = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const w = spec.upper[i]! - spec.lower[i]!;
      nx[i] = Math.min(spec.upper[i]!, Math.max(spec.lower[i]!, x[i]! - step * w * Math.sign(g[i]!)));
    }
    x = nx;
    step *= 0.9;
  }
  const y = forward(net, x);
  const m = specMargin(spec, y).margin;
  if (m < best.margin) best = { x, margin: m };
  return best;
}

/** Random sampling + PGD restarts over every spec; returns a verified counterexample or null. */
export function falsify(net: Network, specs: VnnSpec[], opts: FalsifyOptions = {}): Counterexample | null {
  const rand = mulberry32(opts.seed ?? 0);
  const samples = opts.samples ?? 1000;
  const restarts = opts.restarts ?? 20;
  const steps = opts.steps ?? 60;
  for (let si = 0; si < specs.length; si++) {
    const spec = specs[si]!;
    const n = spec.lower.length;
    const pts: { x: Float64Array; margin: number }[] = [];
    for (let k = 0; k < samples; k++) {
      const x = new Float64Array(n);
      for (let i = 0; i < n; i++)
        x[i] =
          k === 0 ? (spec.lower[i]! + spec.upper[i]!) / 2 : spec.lower[i]! + rand() * (spec.upper[i]! - spec.lower[i]!);
      pts.push({ x, margin: specMargin(spec, forward(net, x)).margin });
    }
    pts.sort((a, b) => a.margin - b.margin);
    for (let r = 0; r < Math.min(restarts, pts.length); r++) {
      if (opts.deadline !== undefined && Date.now() > opts.deadline) return null;
      const { x } = pgd(net, spec, pts[r]!.x, steps);
      const y = checkCounterexample(net, spec, x);
      if (y) return { x, y, spec: si };
    }
  }
  return null;
}
