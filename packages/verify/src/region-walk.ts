// Activation-region walk: an exact local search on the spec margin m(x) = maxᵢ(cᵢ·f(x) − dᵢ) of a piecewise-linear
// (ReLU / leaky-ReLU) network. Inside one activation pattern the network is affine, so the least margin over
// (input box ∩ the pattern's linear region) is a small LP in n + 1 variables (min t s.t. every row ≤ t); its optimum
// lies on region walls, and the walk steps across the wall of a blocking neuron (positive multiplier) into the
// neighbouring pattern and solves again, while the optimum keeps falling. This is the local move that exact
// piecewise-linear tools exploit (the LP-per-pattern view of Reluplex / Marabou, Katz et al. 2017, and of nnenum's
// star sets, Bak et al. 2020), used here as an attack: it reaches the bottom of a narrow violating valley that
// gradient steps, which only see one linear piece at a time, stall above.
import { type ActiveSetLpResult, activeSetLp } from "./active-set-lp.js";
import { type Counterexample, checkCounterexample, specMargin } from "./falsify.js";
import { forward, forwardTrace, type Network } from "./network.js";
import type { VnnSpec } from "./vnnlib.js";

export interface RegionWalkOptions {
  /** LPs (activation regions visited) at most (default 200) */
  maxRegions?: number;
  /** sub-box to search (default the spec's box) */
  lower?: ArrayLike<number>;
  upper?: ArrayLike<number>;
  deadline?: number;
}

export interface RegionWalkResult {
  x: Float64Array;
  /** concrete float64 margin at x */
  margin: number;
  /** set when the walk ended at a point that violates the spec (checked by a plain forward pass) */
  counterexample?: Float64Array;
  regions: number;
  /** no single-neuron flip at the last optimum lowers the margin (a local minimum of the piecewise-linear margin) */
  converged: boolean;
}

/** Slope of a piecewise-linear activation on its active (1) and inactive (0) side; null for smooth ones. */
function slopes(net: Network): [number, number][] | null {
  const out: [number, number][] = [];
  for (const a of net.activations) {
    if (a.kind === "relu") out.push([0, 1]);
    else if (a.kind === "leakyRelu") out.push([a.alpha, 1]);
    else return null;
  }
  return out;
}

/**
 * The LP of one activation pattern in scaled inputs u ∈ [0,1]ⁿ (x = lower + w∘u) and t:
 * rows 0…H−1 keep each hidden pre-activation on its pattern side, then one row per spec row (cᵣ·y − dᵣ ≤ t),
 * then the box. Returns G (row-major, n + 1 columns) and h.
 */
function patternLp(
  net: Network,
  spec: VnnSpec,
  pattern: Uint8Array[],
  sl: [number, number][],
  lower: ArrayLike<number>,
  w: Float64Array,
): { G: Float64Array; h: Float64Array } {
  const n = net.inputSize;
  const n1 = n + 1;
  let H = 0;
  for (const p of pattern) H += p.length;
  const rows = H + spec.rows + 2 * n;
  const d = n1;
  const G = new Float64Array(rows * d);
  const h = new Float64Array(rows);
  // A: the current layer's values as affine maps of u, (size × (n + 1)) with the constant in the last column
  let A = new Float64Array(n * n1);
  for (let j = 0; j < n; j++) {
    A[j * n1 + j] = w[j]!;
    A[j * n1 + n] = lower[j]!;
  }
  let r = 0;
  for (let k = 0; k < net.dense.length; k++) {
    const L = net.dense[k]!;
    const Z = new Float64Array(L.outSize * n1);
    for (let i = 0; i < L.outSize; i++) {
      const zi = i * n1;
      Z[zi + n] = L.b[i]!;
      for (let q = 0; q < L.inSize; q++) {
        const wq = L.W[i * L.inSize + q]!;
        if (wq === 0) continue;
        const aq = q * n1;
        for (let j = 0; j < n1; j++) Z[zi + j] = Z[zi + j]! + wq * A[aq + j]!;
      }
    }
    if (k === net.dense.length - 1) {
      // spec rows: Σⱼ cᵣⱼ·yⱼ(u) − dᵣ − t ≤ 0
      const m = L.outSize;
      for (let s = 0; s < spec.rows; s++, r++) {
        let cst = -spec.d[s]!;
        for (let o = 0; o < m; o++) {
          const c = spec.C[s * m + o]!;
          if (c === 0) continue;
          for (let j = 0; j < n; j++) G[r * d + j] = G[r * d + j]! + c * Z[o * n1 + j]!;
          cst += c * Z[o * n1 + n]!;
        }
        G[r * d + n] = -1;
        h[r] = -cst;
      }
      break;
    }
    const pat = pattern[k]!;
    const [s0, s1] = sl[k]!;
    for (let i = 0; i < L.outSize; i++, r++) {
      // active: −z ≤ 0; inactive: z ≤ 0
      const sg = pat[i] ? -1 : 1;
      for (let j = 0; j < n; j++) G[r * d + j] = sg * Z[i * n1 + j]!;
      h[r] = -sg * Z[i * n1 + n]!;
      const slope = pat[i] ? s1 : s0;
      for (let j = 0; j < n1; j++) Z[i * n1 + j] = slope * Z[i * n1 + j]!;
    }
    A = Z;
  }
  for (let j = 0; j < n; j++, r += 2) {
    G[r * d + j] = 1;
    h[r] = 1;
    G[(r + 1) * d + j] = -1;
    h[r + 1] = 0;
  }
  return { G, h };
}

/**
 * Walks activation regions from x0, each step an exact LP minimum of the margin over one region; returns the lowest
 * point found and, when that violates the spec by a concrete float64 forward pass, the counterexample. Networks with
 * smooth activations are returned unchanged (converged: false).
 */
export function regionWalk(
  net: Network,
  spec: VnnSpec,
  x0: ArrayLike<number>,
  opts: RegionWalkOptions = {},
): RegionWalkResult {
  const n = net.inputSize;
  const lower = opts.lower ?? spec.lower;
  const upper = opts.upper ?? spec.upper;
  const maxRegions = opts.maxRegions ?? 200;
  const start = Float64Array.from(x0);
  const startMargin = specMargin(spec, forward(net, start)).margin;
  const sl = slopes(net);
  if (!sl || spec.rows === 0) return { x: start, margin: startMargin, regions: 0, converged: false };
  const w = new Float64Array(n);
  for (let j = 0; j < n; j++) w[j] = upper[j]! - lower[j]!;
  const toX = (z: Float64Array): Float64Array => {
    const x = new Float64Array(n);
    for (let j = 0; j < n; j++) x[j] = Math.min(upper[j]!, Math.max(lower[j]!, lower[j]! + w[j]! * z[j]!));
    return x;
  };
  const toU = (x: Float64Array): number[] =>
    Array.from(x, (v, j) => (w[j]! > 0 ? Math.min(1, Math.max(0, (v - lower[j]!) / w[j]!)) : 0));
  const c = new Float64Array(n + 1);
  c[n] = 1;
  const sizes = net.activations.map((_, k) => net.dense[k]!.outSize);
  const offsets: number[] = [];
  let H = 0;
  for (const s of sizes) {
    offsets.push(H);
    H += s;
  }
  // the LP of `pattern` from the point x (inside or on the walls of its region)
  const solve = (pattern: Uint8Array[], x: Float64Array): ActiveSetLpResult => {
    const { G, h } = patternLp(net, spec, pattern, sl, lower, w);
    const u = toU(x);
    // t0: the largest spec row of the pattern's affine map at u (feasible by construction)
    let t0 = Number.NEGATIVE_INFINITY;
    for (let r = H; r < H + spec.rows; r++) {
      let s = -h[r]!;
      for (let j = 0; j < n; j++) s += G[r * (n + 1) + j]! * u[j]!;
      t0 = Math.max(t0, s);
    }
    return activeSetLp(c, G, h, [...u, t0], { maxIter: 40 * (n + 1) + 200 });
  };
  // neurons whose wall blocks the optimum, strongest first
  const blocking = (res: ActiveSetLpResult): number[] =>
    Array.from(res.active)
      .map((row, q) => ({ row, lam: res.multipliers[q]! }))
      .filter((e) => e.row >= 0 && e.row < H && e.lam > 1e-12)
      .sort((a, b) => b.lam - a.lam)
      .map((e) => e.row);
  const { pre } = forwardTrace(net, start);
  let base = pre.map((z) => Uint8Array.from(z, (v) => (v > 0 ? 1 : 0)));
  let best: { x: Float64Array; margin: number } = { x: start, margin: startMargin };
  let cur = solve(base, start);
  let regions = 1;
  const consider = (res: ActiveSetLpResult): Float64Array | undefined => {
    const x = toX(res.z);
    const mg = specMargin(spec, forward(net, x)).margin;
    if (mg < best.margin) best = { x, margin: mg };
    return mg <= 0 && checkCounterexample(net, spec, x) ? x : undefined;
  };
  let hit = consider(cur);
  let queue = blocking(cur);
  while (!hit && queue.length > 0 && regions < maxRegions) {
    if (opts.deadline !== undefined && Date.now() > opts.deadline) break;
    const flip = queue.shift()!;
    let k = 0;
    while (k + 1 < offsets.length && offsets[k + 1]! <= flip) k++;
    const pat = base.map((p) => p.slice());
    const layer = pat[k]!;
    const i = flip - offsets[k]!;
    layer[i] = layer[i]! ^ 1;
    const res = solve(pat, toX(cur.z));
    regions++;
    if (res.value < cur.value - 1e-12 * (1 + Math.abs(cur.value))) {
      base = pat;
      cur = res;
      hit = consider(res);
      queue = blocking(res);
    }
  }
  if (hit)
    return {
      x: hit,
      margin: specMargin(spec, forward(net, hit)).margin,
      counterexample: hit,
      regions,
      converged: true,
    };
  return { x: best.x, margin: best.margin, regions, converged: queue.length === 0 };
}

/** Region walk as an attack: a verified counterexample from x0, or null. */
export function regionWalkAttack(
  net: Network,
  spec: VnnSpec,
  specIndex: number,
  x0: ArrayLike<number>,
  opts: RegionWalkOptions = {},
): Counterexample | null {
  const r = regionWalk(net, spec, x0, opts);
  if (!r.counterexample) return null;
  const y = checkCounterexample(net, spec, r.counterexample);
  return y ? { x: r.counterexample, y, spec: specIndex } : null;
}
