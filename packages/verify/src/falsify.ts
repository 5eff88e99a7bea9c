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
  /**
   * a local search run, after all restarts, from the `refineTop` descent end points with the lowest margins (verify
   * passes the activation-region walk); its result is checked by a concrete forward pass like every other candidate
   */
  refine?: (spec: VnnSpec, x: Float64Array) => Float64Array;
  /** how many descent end points `refine` starts from (default 10) */
  refineTop?: number;
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

/** All rows cᵢ·y − dᵢ of a spec at output y. */
function rowMargins(spec: VnnSpec, y: Float64Array, out: Float64Array): number {
  const m = y.length;
  let best = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < spec.rows; i++) {
    let s = -spec.d[i]!;
    for (let j = 0; j < m; j++) s += spec.C[i * m + j]! * y[j]!;
    out[i] = s;
    if (s > best) best = s;
  }
  return best;
}

/** Min-norm point of the convex hull of the vectors H (Frank–Wolfe with exact line search). */
function minNormPoint(H: Float64Array[]): Float64Array {
  const k = H.length;
  const n = H[0]!.length;
  const v = new Float64Array(n);
  for (const h of H) for (let j = 0; j < n; j++) v[j] = v[j]! + h[j]! / k;
  for (let it = 0; it < 30; it++) {
    let bi = 0;
    let bv = Number.POSITIVE_INFINITY;
    for (let i = 0; i < k; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += H[i]![j]! * v[j]!;
      if (s < bv) {
        bv = s;
        bi = i;
      }
    }
    let num = 0;
    let den = 0;
    for (let j = 0; j < n; j++) {
      const dd = H[bi]![j]! - v[j]!;
      num -= v[j]! * dd;
      den += dd * dd;
    }
    if (!(den > 0)) break;
    const g = Math.min(1, Math.max(0, num / den));
    if (g <= 1e-9) break;
    for (let j = 0; j < n; j++) v[j] = v[j]! + g * (H[bi]![j]! - v[j]!);
  }
  return v;
}

/**
 * Local descent on m(x) = maxᵢ(cᵢ·f(x) − dᵢ) inside [lower, upper]. The max of several rows has kinks where plain
 * (sign-)gradient steps on the arg-max row just swap rows; the steepest descent direction of a max is minus the
 * min-norm element of the convex hull of the near-active rows' gradients (as in MGDA / bundle methods), taken here
 * in box-width-scaled coordinates with an adaptive step (grow on success, halve on failure).
 */
export function minimaxDescent(
  net: Network,
  spec: VnnSpec,
  x0: ArrayLike<number>,
  steps: number,
  lower: ArrayLike<number> = spec.lower,
  upper: ArrayLike<number> = spec.upper,
): { x: Float64Array; margin: number } {
  const n = x0.length;
  let x = Float64Array.from(x0);
  let y = forward(net, x);
  let M = new Float64Array(spec.rows);
  let mx = rowMargins(spec, y, M);
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = upper[i]! - lower[i]!;
  let s = 0.05;
  let NM = new Float64Array(spec.rows);
  let checkpoint = mx;
  for (let it = 0; it < steps && mx > 0 && s > 1e-9; it++) {
    // stalled: less than 2% progress over the last 10 steps (an unsat spec's margin stays well above 0)
    if (it > 0 && it % 10 === 0) {
      if (mx > checkpoint - 0.02 * Math.abs(checkpoint)) break;
      checkpoint = mx;
    }
    const H: Float64Array[] = [];
    for (let r = 0; r < spec.rows; r++) {
      if (M[r]! < mx - 0.5 * Math.abs(mx)) continue;
      const g = gradient(net, x, spec.C.subarray(r * y.length, (r + 1) * y.length));
      for (let i = 0; i < n; i++) {
        g[i] = g[i]! * w[i]!;
        // a coordinate at its bound cannot move further out
        if ((x[i]! <= lower[i]! && g[i]! > 0) || (x[i]! >= upper[i]! && g[i]! < 0)) g[i] = 0;
      }
      H.push(g);
    }
    const d = minNormPoint(H);
    let nrm = 0;
    for (let i = 0; i < n; i++) nrm = Math.max(nrm, Math.abs(d[i]!));
    if (nrm === 0) break;
    const nx = new Float64Array(n);
    for (let i = 0; i < n; i++) nx[i] = Math.min(upper[i]!, Math.max(lower[i]!, x[i]! - (s * w[i]! * d[i]!) / nrm));
    const ny = forward(net, nx);
    const nmx = rowMargins(spec, ny, NM);
    if (nmx < mx) {
      [M, NM] = [NM, M];
      x = nx;
      y = ny;
      mx = nmx;
      s *= 1.5;
    } else s *= 0.5;
  }
  return { x, margin: mx };
}

/**
 * Random sampling + minimax-descent restarts from the best samples, over every spec; returns a verified
 * counterexample or null. Half of the samples are boundary-biased (each coordinate at its lower or upper bound with
 * probability ¼ each): ACAS Xu counterexamples often sit on a face or edge of the input box (1_9 prop 7 does), which
 * uniform sampling of a 5-D box almost never hits.
 */
export function falsify(net: Network, specs: VnnSpec[], opts: FalsifyOptions = {}): Counterexample | null {
  const rand = mulberry32(opts.seed ?? 0);
  const samples = opts.samples ?? 1000;
  const restarts = opts.restarts ?? 50;
  const steps = opts.steps ?? 60;
  for (let si = 0; si < specs.length; si++) {
    const spec = specs[si]!;
    const n = spec.lower.length;
    const pts: { x: Float64Array; margin: number }[] = [];
    for (let k = 0; k < samples; k++) {
      const x = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const lo = spec.lower[i]!;
        const hi = spec.upper[i]!;
        if (k === 0) x[i] = (lo + hi) / 2;
        else if (k % 2 === 1) x[i] = lo + rand() * (hi - lo);
        else {
          const u = rand();
          x[i] = u < 0.25 ? lo : u < 0.5 ? hi : lo + rand() * (hi - lo);
        }
      }
      const y = forward(net, x);
      const margin = specMargin(spec, y).margin;
      if (margin <= 0) {
        const yc = checkCounterexample(net, spec, x);
        if (yc) return { x, y: yc, spec: si };
      }
      pts.push({ x, margin });
    }
    pts.sort((a, b) => a.margin - b.margin);
    const ends: { x: Float64Array; margin: number }[] = [];
    for (let r = 0; r < Math.min(restarts, pts.length); r++) {
      if (opts.deadline !== undefined && Date.now() > opts.deadline) return null;
      const end = minimaxDescent(net, spec, pts[r]!.x, steps);
      const y = checkCounterexample(net, spec, end.x);
      if (y) return { x: end.x, y, spec: si };
      ends.push(end);
    }
    if (opts.refine && ends.length > 0) {
      // Refine only the best end points, and only those within reach of 0: a local search closes gaps of the order
      // of the margin's variation over the box (median sample − best end point), not more. That skips the (many)
      // unsat specs whose margin stays far above 0, e.g. ACAS Xu prop 1 (margin ≈ 3.97, variation ≈ 0.05).
      ends.sort((a, b) => a.margin - b.margin);
      const reach = pts[pts.length >> 1]!.margin - ends[0]!.margin;
      let last = Number.NaN;
      let tried = 0;
      for (const end of ends) {
        if (tried >= (opts.refineTop ?? 10) || !(end.margin < reach)) break;
        if (end.margin === last) continue; // the same stall point (or plateau) again
        last = end.margin;
        tried++;
        if (opts.deadline !== undefined && Date.now() > opts.deadline) return null;
        const x = opts.refine(spec, end.x);
        const y = checkCounterexample(net, spec, x);
        if (y) return { x, y, spec: si };
      }
    }
  }
  return null;
}
