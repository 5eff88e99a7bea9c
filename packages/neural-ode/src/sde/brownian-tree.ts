// Virtual Brownian tree (Gaines & Lyons 1997; Li et al., "Scalable gradients for stochastic differential equations",
// AISTATS 2020): W on [t0, t1] is defined by recursive Brownian-bridge bisection where the normal drawn at each node is
// a hash of (seed, depth, index, component). Any W(t) is reproducible from the seed alone, whatever the order or
// number of queries, in O(log((t1 − t0)/tol)) time and O(1) memory; below `tol` the bridge mean (linear) is used.
import { ValueError } from "@x/tensor";

/** 32-bit mixing (the murmur3 finaliser) — the stream of normals is a pure function of its key. */
function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function hashKey(seed: number, depth: number, index: number, comp: number, salt: number): number {
  let h = mix32(seed ^ 0x9e3779b9);
  h = mix32(h ^ Math.imul(depth + 1, 0x27d4eb2d));
  // index may exceed 2^32 at depth > 32: fold both halves in
  h = mix32(h ^ (index >>> 0));
  h = mix32(h ^ Math.floor(index / 4294967296));
  h = mix32(h ^ Math.imul(comp + 1, 0x165667b1));
  return mix32(h ^ salt);
}

/** A standard normal that depends only on its key (Box–Muller on two hashed uniforms in (0, 1)). */
export function keyedNormal(seed: number, depth: number, index: number, comp: number): number {
  const u1 = (hashKey(seed, depth, index, comp, 0x1234567) + 0.5) / 4294967296;
  const u2 = (hashKey(seed, depth, index, comp, 0x7654321) + 0.5) / 4294967296;
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

export interface BrownianTreeOptions {
  t0: number;
  t1: number;
  /** Number of independent components. */
  size: number;
  seed: number;
  /** Bisection stops at intervals shorter than tol (default (t1 − t0)·2⁻⁴⁰). */
  tol?: number;
}

export class BrownianTree {
  readonly t0: number;
  readonly t1: number;
  readonly size: number;
  readonly seed: number;
  readonly tol: number;
  private readonly wEnd: Float64Array;

  constructor({ t0, t1, size, seed, tol }: BrownianTreeOptions) {
    if (!(Number.isFinite(t0) && Number.isFinite(t1) && t1 > t0)) {
      throw new ValueError(`BrownianTree: need finite t0 < t1, got [${t0}, ${t1}]`);
    }
    if (!Number.isInteger(size) || size < 1)
      throw new ValueError(`BrownianTree: size must be a positive integer, got ${size}`);
    if (!Number.isInteger(seed)) throw new ValueError(`BrownianTree: seed must be an integer, got ${seed}`);
    this.t0 = t0;
    this.t1 = t1;
    this.size = size;
    this.seed = seed | 0;
    this.tol = tol ?? (t1 - t0) * 2 ** -40;
    if (!(this.tol > 0)) throw new ValueError(`BrownianTree: tol must be positive, got ${tol}`);
    this.wEnd = new Float64Array(size);
    const sd = Math.sqrt(t1 - t0);
    for (let c = 0; c < size; c++) this.wEnd[c] = sd * keyedNormal(this.seed, -1, 0, c);
  }

  /** W(t) − W(t0), t ∈ [t0, t1]. */
  value(t: number, out = new Float64Array(this.size)): Float64Array {
    if (!(t >= this.t0 && t <= this.t1)) {
      throw new ValueError(`BrownianTree.value: t = ${t} is outside [${this.t0}, ${this.t1}]`);
    }
    for (let c = 0; c < this.size; c++) out[c] = this.component(t, c);
    return out;
  }

  /** W(t) − W(s). */
  increment(s: number, t: number, out = new Float64Array(this.size)): Float64Array {
    const a = this.value(s);
    this.value(t, out);
    for (let c = 0; c < this.size; c++) out[c] = out[c]! - a[c]!;
    return out;
  }

  private component(t: number, c: number): number {
    let a = this.t0;
    let b = this.t1;
    let wa = 0;
    let wb = this.wEnd[c]!;
    let depth = 0;
    let index = 0;
    if (t === a) return 0;
    if (t === b) return wb;
    while (b - a > this.tol) {
      const m = 0.5 * (a + b);
      // Brownian bridge at the midpoint: mean (wa + wb)/2, variance (b − a)/4
      const wm = 0.5 * (wa + wb) + 0.5 * Math.sqrt(b - a) * keyedNormal(this.seed, depth, index, c);
      if (t === m) return wm;
      if (t < m) {
        b = m;
        wb = wm;
        index = 2 * index;
      } else {
        a = m;
        wa = wm;
        index = 2 * index + 1;
      }
      depth++;
    }
    return wa + ((t - a) / (b - a)) * (wb - wa);
  }
}
