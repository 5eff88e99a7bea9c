// CROWN: backward linear bound propagation (Zhang et al. 2018, "Efficient Neural Network Robustness Certification
// with General Activation Functions"; auto_LiRPA, Xu et al. 2020). A row Λ of C·z_k is pushed back through each dense
// layer (Λ ← ΛW, bias += Λb) and each activation (choosing the lower relaxation where Λ ≥ 0, the upper one where Λ < 0)
// down to the input box, where the linear function is minimised in closed form. Intermediate pre-activation bounds come
// from the same procedure applied to every earlier layer, intersected with IBP.
// Float64 rounding: every step adds γ-weighted magnitudes to an error term (see rounding.ts), so the result is sound.
import { ValueError } from "@x/tensor";
import { denseInterval, type Interval, postInterval } from "./ibp.js";
import type { DenseLayer, Network } from "./network.js";
import { isStable, relax } from "./relaxation.js";
import { gamma, nextDown, nextUp } from "./rounding.js";

export interface BackwardResult {
  /** sound lower bounds of each row of C·z_k over the box */
  lower: Float64Array;
  /** input coefficients Λ₀ (rows × inputSize) of the lower linear function */
  A: Float64Array;
  /** Λ' per activation layer j < k (rows × n_j): coefficients on σ(z_j), kept for α gradients */
  lam?: Float64Array[];
  /**
   * The linear lower bound before concretisation: row r of C·z_k ≥ A_r·x + bias_r − err_r for every x in the box
   * (err_r: accumulated rounding-error bound). It stays valid on any sub-box, where concretiseLower re-evaluates it.
   * Set by backwardLower (α-CROWN's per-row best bounds mix iterates and leave it out).
   */
  bias?: Float64Array;
  err?: Float64Array;
}

/**
 * min over the box of A_r·x + bias_r − err_r, rounded outward: the last step of backwardLower, also used to
 * re-evaluate a parent box's linear bounds on a sub-box (valid there because the sub-box is a subset).
 */
export function concretiseLower(
  A: Float64Array,
  bias: Float64Array,
  err: Float64Array,
  rows: number,
  box: Interval,
): Float64Array {
  const n = box.lower.length;
  const xMag = magnitude(box);
  const lower = new Float64Array(rows);
  const g = gamma(n + 2);
  for (let r = 0; r < rows; r++) {
    let s = bias[r]!;
    let e = Math.abs(bias[r]!);
    const o = r * n;
    for (let t = 0; t < n; t++) {
      const v = A[o + t]!;
      s += v >= 0 ? v * box.lower[t]! : v * box.upper[t]!;
      e += Math.abs(v) * xMag[t]!;
    }
    lower[r] = nextDown(s - err[r]! - g * e);
  }
  return lower;
}

/**
 * A nonnegative combination Σᵢ wᵢ·fᵢ of linear lower bounds fᵢ(x) ≥ Aᵢ·x + biasᵢ − errᵢ (rows of A/bias/err, all
 * valid on the same region inside `box`), as one linear lower bound A·x + bias − err of the combination valid there.
 * The float64 sums that form A and bias are exact up to γ·Σ|wᵢAᵢ|·|x| + γ·Σ|wᵢbiasᵢ| on the box, which goes into err.
 */
export function combineLinear(
  w: ArrayLike<number>,
  A: Float64Array,
  bias: ArrayLike<number>,
  err: ArrayLike<number>,
  box: Interval,
): { A: Float64Array; bias: Float64Array; err: Float64Array } {
  const n = box.lower.length;
  const rows = w.length;
  const xMag = magnitude(box);
  const out = new Float64Array(n);
  const mag = new Float64Array(n);
  let b = 0;
  let bmag = 0;
  let e = 0;
  for (let r = 0; r < rows; r++) {
    const wr = w[r]!;
    if (wr === 0) continue;
    if (!(wr > 0)) throw new ValueError(`combineLinear: weights must be nonnegative, got ${wr}`);
    for (let j = 0; j < n; j++) {
      const v = wr * A[r * n + j]!;
      out[j] = out[j]! + v;
      mag[j] = mag[j]! + Math.abs(v);
    }
    b += wr * bias[r]!;
    bmag += Math.abs(wr * bias[r]!);
    e += wr * err[r]!;
  }
  const g = gamma(rows + 2);
  let em = bmag;
  for (let j = 0; j < n; j++) em += mag[j]! * xMag[j]!;
  return { A: out, bias: Float64Array.of(b), err: Float64Array.of(nextUp(e * (1 + g) + g * em)) };
}

/** Magnitude bound max(|l|, |u|) of a vector interval. */
export function magnitude(iv: Interval): Float64Array {
  const m = new Float64Array(iv.lower.length);
  for (let i = 0; i < m.length; i++) m[i] = Math.max(Math.abs(iv.lower[i]!), Math.abs(iv.upper[i]!));
  return m;
}

export interface BackwardContext {
  net: Network;
  box: Interval;
  /** pre-activation bounds of hidden layers 0…k−1 */
  pre: Interval[];
  /** post-activation bounds (inputs of dense layers 1…k) */
  post: Interval[];
  /**
   * Per-layer quantities that depend only on pre/post (relaxation lines, magnitudes), computed on first use. Branch
   * and bound calls backwardLower many times per context (one pass per intermediate layer, the spec, α iterations),
   * so recomputing them per call was a large share of the time. Contexts are treated as immutable once built.
   */
  cache?: LayerCache[];
  /** the linear bounds crownIntermediate found for layer k's neurons (see LinearBounds); kept for sub-boxes */
  lin?: (LinearBounds | undefined)[];
}

/**
 * Linear bounds of pre-activations z_k[idx] in the input: rows 0…m−1 are lower bounds of z_k[idx[r]], rows m…2m−1
 * lower bounds of −z_k[idx[r]] (m = idx.length), each A_r·x + bias_r − err_r, valid on the box they were built on.
 */
export interface LinearBounds {
  idx: number[];
  A: Float64Array;
  bias: Float64Array;
  err: Float64Array;
}

interface LayerCache {
  /** |b| + |W|·max(|l|,|u|) of the dense layer's input: the rounding-error weight of each output */
  wmag?: Float64Array;
  /** relaxation of activation j: lower/upper slope and intercept, and max(|l|,|u|) of its pre-activation */
  loS?: Float64Array;
  loB?: Float64Array;
  upS?: Float64Array;
  upB?: Float64Array;
  /** 1 where an α slope may replace the lower slope (unstable ReLU/LeakyReLU) */
  free?: Uint8Array;
  /**
   * 1 where both lines coincide bit for bit and no α applies (stable neurons): either branch of the activation step
   * gives the same result, so it needs no test of the coefficient's sign, which is unpredictable (mispredicted half
   * the time it was the costliest line of the pass)
   */
  same?: Uint8Array;
  zMag?: Float64Array;
}

function layerCache(ctx: BackwardContext, j: number): LayerCache {
  ctx.cache ??= [];
  let c = ctx.cache[j];
  if (!c) {
    c = {};
    ctx.cache[j] = c;
  }
  return c;
}

/** |b| + |W|·|h| per output of dense layer j (|h| bounded by the magnitude of its input interval). */
function denseMagnitude(ctx: BackwardContext, j: number): Float64Array {
  const c = layerCache(ctx, j);
  if (c.wmag) return c.wmag;
  const d = ctx.net.dense[j]!;
  const inMag = magnitude(j === 0 ? ctx.box : ctx.post[j - 1]!);
  const wmag = new Float64Array(d.outSize);
  for (let i = 0; i < d.outSize; i++) {
    let s = Math.abs(d.b[i]!);
    const row = i * d.inSize;
    for (let t = 0; t < d.inSize; t++) s += Math.abs(d.W[row + t]!) * inMag[t]!;
    wmag[i] = s;
  }
  c.wmag = wmag;
  return wmag;
}

/** Relaxation lines of activation j as flat arrays (see relax()). */
function activationLines(ctx: BackwardContext, j: number): Required<LayerCache> {
  const c = layerCache(ctx, j);
  if (!c.loS) {
    const act = ctx.net.activations[j]!;
    const z = ctx.pre[j]!;
    const n = z.lower.length;
    c.loS = new Float64Array(n);
    c.loB = new Float64Array(n);
    c.upS = new Float64Array(n);
    c.upB = new Float64Array(n);
    c.free = new Uint8Array(n);
    c.same = new Uint8Array(n);
    const piecewise = act.kind === "relu" || act.kind === "leakyRelu";
    for (let t = 0; t < n; t++) {
      const R = relax(act, z.lower[t]!, z.upper[t]!);
      c.loS[t] = R.loSlope;
      c.loB[t] = R.loBias;
      c.upS[t] = R.upSlope;
      c.upB[t] = R.upBias;
      c.free[t] = piecewise && !isStable(act, z.lower[t]!, z.upper[t]!) ? 1 : 0;
      c.same[t] = c.free[t] === 0 && Object.is(R.loSlope, R.upSlope) && Object.is(R.loBias, R.upBias) ? 1 : 0;
    }
    c.zMag = magnitude(z);
  }
  return c as Required<LayerCache>;
}

/**
 * Wᵀ (in × out, row-major) of a dense layer with finite weights, or null; built once per weight array (networks are
 * not modified in place once built; a layer given a new W array gets a new transpose).
 */
const transposed = new WeakMap<Float64Array, Float64Array | null>();
function transposedWeights(d: DenseLayer): Float64Array | null {
  let WT = transposed.get(d.W);
  if (WT === undefined) {
    WT = null;
    if (d.W.every(Number.isFinite)) {
      WT = new Float64Array(d.inSize * d.outSize);
      for (let i = 0; i < d.outSize; i++)
        for (let t = 0; t < d.inSize; t++) WT[t * d.outSize + i] = d.W[i * d.inSize + t]!;
    }
    transposed.set(d.W, WT);
  }
  return WT;
}

// work buffers of backDenseDot, grown on demand and reused across calls (one backward pass per domain and layer)
let colBuf = new Int32Array(64);
let rowBuf = new Float64Array(64);

/**
 * Wᵀ restricted to the columns `cols[0…nc)` (in × nc), kept per layer: within a domain every backward pass through a
 * layer meets the same zero columns (its stably inactive neurons), so the last gather is usually reused.
 */
const gathered = new WeakMap<Float64Array, { cols: Int32Array; nc: number; wc: Float64Array }>();
function gatheredWeights(d: DenseLayer, cols: Int32Array, nc: number): { wc: Float64Array } | null {
  const WT = transposedWeights(d);
  if (!WT) return null;
  const width = d.outSize;
  let G = gathered.get(d.W);
  if (G && G.nc === nc) {
    let q = 0;
    while (q < nc && G.cols[q] === cols[q]) q++;
    if (q === nc) return G;
  }
  if (!G) {
    G = { cols: new Int32Array(width), nc: 0, wc: new Float64Array(d.inSize * width) };
    gathered.set(d.W, G);
  }
  const wc = G.wc;
  for (let t = 0; t < d.inSize; t++) {
    const src = t * width;
    const dst = t * nc;
    for (let q = 0; q < nc; q++) wc[dst + q] = WT[src + cols[q]!]!;
  }
  G.cols.set(cols.subarray(0, nc));
  G.nc = nc;
  return G;
}

// Λ between layers (one backward pass per domain and layer in branch and bound): two buffers reused across calls
// instead of two fresh arrays per layer, whose zeroing and garbage collection cost about as much as the products
const work: Float64Array[] = [new Float64Array(0), new Float64Array(0)];
function workBuffer(which: 0 | 1, size: number): Float64Array {
  if (work[which]!.length < size) work[which] = new Float64Array(Math.max(size, 2 * work[which]!.length));
  return work[which]!;
}

/**
 * next = Λ·W (Λ rows × out, W out × in) as dot products over the columns of Λ that are nonzero in some row, against a
 * gathered copy of Wᵀ: contiguous loads and a register accumulator instead of an axpy per nonzero. Each entry is summed
 * in the same order (ascending column, starting from +0) as the axpy loop, and the terms it adds beyond that loop's
 * (zero coefficients) are ±0, which leave a float64 sum unchanged (it is never −0), so the result is bit-identical.
 * Returns false (and writes nothing) when Λ is too sparse for this to pay or W has non-finite entries (0·∞ = NaN).
 */
export function backDenseDot(lam: Float64Array, rows: number, d: DenseLayer, next: Float64Array): boolean {
  const width = d.outSize;
  const inSize = d.inSize;
  if (colBuf.length < width) colBuf = new Int32Array(width);
  const cols = colBuf;
  let nc = 0;
  let nnz = 0;
  for (let i = 0; i < width; i++) {
    let c = 0;
    for (let r = 0; r < rows; r++) if (lam[r * width + i] !== 0) c++;
    if (c > 0) cols[nc++] = i;
    nnz += c;
  }
  // the axpy loop costs ~nnz·in, this one rows·nc·in at a third of the cost per term or less (measured on ACAS Xu)
  if (3 * nnz < rows * nc) return false;
  const G = gatheredWeights(d, cols, nc);
  if (!G) return false;
  if (rowBuf.length < 2 * nc) rowBuf = new Float64Array(2 * nc);
  const wc = G.wc;
  const lc = rowBuf;
  // two rows × four columns per block: each loaded coefficient and weight serves several sums
  let r = 0;
  for (; r + 1 < rows; r += 2) {
    const lr = r * width;
    for (let q = 0; q < nc; q++) {
      lc[q] = lam[lr + cols[q]!]!;
      lc[nc + q] = lam[lr + width + cols[q]!]!;
    }
    const nr = r * inSize;
    let t = 0;
    for (; t + 3 < inSize; t += 4) {
      const c0 = t * nc;
      const c1 = c0 + nc;
      const c2 = c1 + nc;
      const c3 = c2 + nc;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let u0 = 0;
      let u1 = 0;
      let u2 = 0;
      let u3 = 0;
      for (let q = 0; q < nc; q++) {
        const v = lc[q]!;
        const x = lc[nc + q]!;
        const w0 = wc[c0 + q]!;
        const w1 = wc[c1 + q]!;
        const w2 = wc[c2 + q]!;
        const w3 = wc[c3 + q]!;
        s0 += v * w0;
        s1 += v * w1;
        s2 += v * w2;
        s3 += v * w3;
        u0 += x * w0;
        u1 += x * w1;
        u2 += x * w2;
        u3 += x * w3;
      }
      next[nr + t] = s0;
      next[nr + t + 1] = s1;
      next[nr + t + 2] = s2;
      next[nr + t + 3] = s3;
      next[nr + inSize + t] = u0;
      next[nr + inSize + t + 1] = u1;
      next[nr + inSize + t + 2] = u2;
      next[nr + inSize + t + 3] = u3;
    }
    for (; t < inSize; t++) {
      const c0 = t * nc;
      let s0 = 0;
      let u0 = 0;
      for (let q = 0; q < nc; q++) {
        s0 += lc[q]! * wc[c0 + q]!;
        u0 += lc[nc + q]! * wc[c0 + q]!;
      }
      next[nr + t] = s0;
      next[nr + inSize + t] = u0;
    }
  }
  for (; r < rows; r++) {
    const lr = r * width;
    for (let q = 0; q < nc; q++) lc[q] = lam[lr + cols[q]!]!;
    const nr = r * inSize;
    for (let t = 0; t < inSize; t++) {
      const c0 = t * nc;
      let s0 = 0;
      for (let q = 0; q < nc; q++) s0 += lc[q]! * wc[c0 + q]!;
      next[nr + t] = s0;
    }
  }
  return true;
}

/**
 * Lower bounds of C·z_k, z_k = output of dense layer k, over the input box.
 * `alphas[j]` (rows × n_j) overrides the lower ReLU slopes of activation j (α-CROWN); `betaTerms[j]` (rows × n_j)
 * is added to the coefficients of z_j (β-CROWN split multipliers, already multiplied by −sₜ).
 */
export function backwardLower(
  ctx: BackwardContext,
  k: number,
  C: Float64Array,
  rows: number,
  alphas?: Float64Array[],
  keep = false,
  betaTerms?: (Float64Array | undefined)[],
): BackwardResult {
  const { net, box } = ctx;
  let lam = C;
  let width = net.dense[k]!.outSize;
  const bias = new Float64Array(rows);
  const err = new Float64Array(rows);
  const kept: Float64Array[] = [];
  const g2 = gamma(2);
  for (let j = k; j >= 0; j--) {
    const d = net.dense[j]!;
    // |W| · |h| + |b|: bounds the rounding error of Λ W h + Λ b
    const wmag = denseMagnitude(ctx, j);
    const g = gamma(d.outSize + 2);
    const inSize = d.inSize;
    const W = d.W;
    const db = d.b;
    // intermediate Λ's live in the two reused work buffers; the returned (j = 0) and kept ones are fresh arrays
    const fresh = j === 0 || keep;
    const next = fresh ? new Float64Array(rows * inSize) : workBuffer(0, rows * inSize);
    if (!backDenseDot(lam, rows, d, next)) {
      if (!fresh) next.fill(0, 0, rows * inSize);
      for (let r = 0; r < rows; r++) {
        const lr = r * width;
        const nr = r * inSize;
        for (let i = 0; i < width; i++) {
          const v = lam[lr + i]!;
          if (v === 0) continue;
          const row = i * inSize;
          for (let t = 0; t < inSize; t++) next[nr + t] = next[nr + t]! + v * W[row + t]!;
        }
      }
    }
    for (let r = 0; r < rows; r++) {
      let bsum = 0;
      let e = 0;
      const lr = r * width;
      for (let i = 0; i < width; i++) {
        const v = lam[lr + i]!;
        if (v === 0) continue;
        bsum += v * db[i]!;
        e += Math.abs(v) * wmag[i]!;
      }
      bias[r] = bias[r]! + bsum;
      err[r] = err[r]! + g * e + g2 * Math.abs(bias[r]!);
    }
    lam = next;
    width = inSize;
    if (j === 0) break;
    // through activation j−1
    if (keep) kept[j - 1] = lam;
    const L = activationLines(ctx, j - 1);
    const { loS, loB, upS, upB, free, same, zMag } = L;
    const n = inSize;
    const alpha = alphas?.[j - 1];
    const out = workBuffer(1, rows * n);
    const ga = gamma(n + 2);
    for (let r = 0; r < rows; r++) {
      let bsum = 0;
      let e = 0;
      const o = r * n;
      for (let t = 0; t < n; t++) {
        const v = lam[o + t]!;
        if (v === 0) {
          out[o + t] = 0;
          continue;
        }
        let nv: number;
        let vb: number;
        if (same[t] === 1 || v >= 0) {
          nv = v * (alpha && free[t] === 1 ? alpha[o + t]! : loS[t]!);
          vb = v * loB[t]!;
        } else {
          nv = v * upS[t]!;
          vb = v * upB[t]!;
        }
        out[o + t] = nv;
        bsum += vb;
        e += Math.abs(nv) * zMag[t]! + Math.abs(vb);
      }
      bias[r] = bias[r]! + bsum;
      err[r] = err[r]! + ga * e + g2 * Math.abs(bias[r]!);
    }
    // β-CROWN: split constraints sₜ·zₜ ≥ 0 enter as −βₜsₜ on the coefficient of zₜ (a valid Lagrangian relaxation)
    const beta = betaTerms?.[j - 1];
    if (beta) for (let q = 0; q < rows * n; q++) if (beta[q] !== 0) out[q] = out[q]! + beta[q]!;
    lam = out;
  }
  const lower = concretiseLower(lam, bias, err, rows, box);
  return keep ? { lower, A: lam, lam: kept, bias, err } : { lower, A: lam, bias, err };
}

export interface IntermediateOptions {
  /** which layers to tighten with CROWN (others use IBP only); default all */
  crownLayers?: boolean;
  /** optional per-layer clamps (split constraints) applied to pre-activation bounds */
  clamp?: (layer: number, iv: Interval) => void;
  /**
   * optional per-layer tightening before the clamp, given the layer's CROWN linear bounds (undefined for layer 0 and
   * where none were needed): e.g. minimising them over a polytope known to contain the domain; `ctx` holds the
   * final bounds of the layers before this one
   */
  tighten?: (layer: number, iv: Interval, lin: LinearBounds | undefined, ctx: BackwardContext) => void;
  /** bounds known to hold already (e.g. from the parent domain in branch and bound); intersected first */
  prior?: Interval[];
  /**
   * linear bounds built on a box containing this one (the parent's `ctx.lin` in input-split branch and bound):
   * re-evaluated on this box they are tighter than the parent's intervals, at the cost of a 5-term dot product each,
   * so more neurons come out stable before any backward pass runs
   */
  priorLinear?: (LinearBounds | undefined)[];
}

/** Pre-activation bounds of every hidden layer by CROWN (intersected with IBP). */
export function crownIntermediate(net: Network, box: Interval, opts: IntermediateOptions = {}): BackwardContext {
  const ctx: BackwardContext = { net, box, pre: [], post: [] };
  const useCrown = opts.crownLayers ?? true;
  for (let k = 0; k < net.activations.length; k++) {
    const d = net.dense[k]!;
    const inIv = k === 0 ? box : ctx.post[k - 1]!;
    const iv = denseInterval(d.W, d.b, d.inSize, d.outSize, inIv.lower, inIv.upper);
    const prior = opts.prior?.[k];
    if (prior) {
      for (let i = 0; i < d.outSize; i++) {
        if (prior.lower[i]! > iv.lower[i]!) iv.lower[i] = prior.lower[i]!;
        if (prior.upper[i]! < iv.upper[i]!) iv.upper[i] = prior.upper[i]!;
      }
    }
    const pl = opts.priorLinear?.[k];
    if (pl) {
      const m = pl.idx.length;
      const lo = concretiseLower(pl.A, pl.bias, pl.err, 2 * m, box);
      pl.idx.forEach((i, r) => {
        if (lo[r]! > iv.lower[i]!) iv.lower[i] = lo[r]!;
        if (-lo[r + m]! < iv.upper[i]!) iv.upper[i] = -lo[r + m]!;
      });
    }
    if (k > 0 && useCrown) {
      const act = net.activations[k]!;
      // only neurons that IBP cannot already show to be stable need the tighter CROWN bounds
      const idx: number[] = [];
      for (let i = 0; i < d.outSize; i++)
        if (!isStable(act, iv.lower[i]!, iv.upper[i]!) || act.kind === "sigmoid" || act.kind === "tanh") idx.push(i);
      if (idx.length > 0) {
        const rows = 2 * idx.length;
        const C = new Float64Array(rows * d.outSize);
        idx.forEach((i, r) => {
          C[r * d.outSize + i] = 1;
          C[(r + idx.length) * d.outSize + i] = -1;
        });
        const res = backwardLower(ctx, k, C, rows);
        ctx.lin ??= [];
        ctx.lin[k] = { idx, A: res.A, bias: res.bias!, err: res.err! };
        idx.forEach((i, r) => {
          iv.lower[i] = Math.max(iv.lower[i]!, res.lower[r]!);
          iv.upper[i] = Math.min(iv.upper[i]!, -res.lower[r + idx.length]!);
        });
      }
    }
    opts.tighten?.(k, iv, ctx.lin?.[k], ctx);
    opts.clamp?.(k, iv);
    ctx.pre.push(iv);
    ctx.post.push(postInterval(net, k, iv));
  }
  return ctx;
}
