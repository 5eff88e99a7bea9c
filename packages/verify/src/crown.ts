// CROWN: backward linear bound propagation (Zhang et al. 2018, "Efficient Neural Network Robustness Certification
// with General Activation Functions"; auto_LiRPA, Xu et al. 2020). A row Λ of C·z_k is pushed back through each dense
// layer (Λ ← ΛW, bias += Λb) and each activation (choosing the lower relaxation where Λ ≥ 0, the upper one where Λ < 0)
// down to the input box, where the linear function is minimised in closed form. Intermediate pre-activation bounds come
// from the same procedure applied to every earlier layer, intersected with IBP.
// Float64 rounding: every step adds γ-weighted magnitudes to an error term (see rounding.ts), so the result is sound.
import { denseInterval, type Interval, postInterval } from "./ibp.js";
import type { Network } from "./network.js";
import { isStable, relax } from "./relaxation.js";
import { gamma, nextDown } from "./rounding.js";

export interface BackwardResult {
  /** sound lower bounds of each row of C·z_k over the box */
  lower: Float64Array;
  /** input coefficients Λ₀ (rows × inputSize) of the lower linear function */
  A: Float64Array;
  /** Λ' per activation layer j < k (rows × n_j): coefficients on σ(z_j), kept for α gradients */
  lam?: Float64Array[];
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
  const { net, box, pre, post } = ctx;
  let lam = C;
  let width = net.dense[k]!.outSize;
  const bias = new Float64Array(rows);
  const err = new Float64Array(rows);
  const kept: Float64Array[] = [];
  for (let j = k; j >= 0; j--) {
    const d = net.dense[j]!;
    const inMag = magnitude(j === 0 ? box : post[j - 1]!);
    // |W| · |h| + |b|: bounds the rounding error of Λ W h + Λ b
    const wmag = new Float64Array(d.outSize);
    for (let i = 0; i < d.outSize; i++) {
      let s = Math.abs(d.b[i]!);
      const row = i * d.inSize;
      for (let t = 0; t < d.inSize; t++) s += Math.abs(d.W[row + t]!) * inMag[t]!;
      wmag[i] = s;
    }
    const g = gamma(d.outSize + 2);
    const next = new Float64Array(rows * d.inSize);
    for (let r = 0; r < rows; r++) {
      let bsum = 0;
      let e = 0;
      const lr = r * width;
      const nr = r * d.inSize;
      for (let i = 0; i < width; i++) {
        const v = lam[lr + i]!;
        if (v === 0) continue;
        bsum += v * d.b[i]!;
        e += Math.abs(v) * wmag[i]!;
        const row = i * d.inSize;
        for (let t = 0; t < d.inSize; t++) next[nr + t] = next[nr + t]! + v * d.W[row + t]!;
      }
      bias[r] = bias[r]! + bsum;
      err[r] = err[r]! + g * e + gamma(2) * Math.abs(bias[r]!);
    }
    lam = next;
    width = d.inSize;
    if (j === 0) break;
    // through activation j−1
    if (keep) kept[j - 1] = lam;
    const act = net.activations[j - 1]!;
    const z = pre[j - 1]!;
    const zMag = magnitude(z);
    const n = d.inSize;
    const alpha = alphas?.[j - 1];
    const rel = new Array(n);
    for (let t = 0; t < n; t++) rel[t] = relax(act, z.lower[t]!, z.upper[t]!);
    const out = new Float64Array(rows * n);
    const ga = gamma(n + 2);
    for (let r = 0; r < rows; r++) {
      let bsum = 0;
      let e = 0;
      const o = r * n;
      for (let t = 0; t < n; t++) {
        const v = lam[o + t]!;
        if (v === 0) continue;
        const R = rel[t]!;
        let slope: number;
        let b: number;
        if (v >= 0) {
          slope =
            alpha && !isStable(act, z.lower[t]!, z.upper[t]!) && (act.kind === "relu" || act.kind === "leakyRelu")
              ? alpha[o + t]!
              : R.loSlope;
          b = R.loBias;
        } else {
          slope = R.upSlope;
          b = R.upBias;
        }
        const nv = v * slope;
        out[o + t] = nv;
        bsum += v * b;
        e += Math.abs(nv) * zMag[t]! + Math.abs(v * b);
      }
      bias[r] = bias[r]! + bsum;
      err[r] = err[r]! + ga * e + gamma(2) * Math.abs(bias[r]!);
    }
    // β-CROWN: split constraints sₜ·zₜ ≥ 0 enter as −βₜsₜ on the coefficient of zₜ (a valid Lagrangian relaxation)
    const beta = betaTerms?.[j - 1];
    if (beta) for (let q = 0; q < out.length; q++) if (beta[q] !== 0) out[q] = out[q]! + beta[q]!;
    lam = out;
  }
  // concretise over the input box
  const n = net.inputSize;
  const xMag = magnitude(box);
  const lower = new Float64Array(rows);
  const g = gamma(n + 2);
  for (let r = 0; r < rows; r++) {
    let s = bias[r]!;
    let e = Math.abs(bias[r]!);
    const o = r * n;
    for (let t = 0; t < n; t++) {
      const v = lam[o + t]!;
      s += v >= 0 ? v * box.lower[t]! : v * box.upper[t]!;
      e += Math.abs(v) * xMag[t]!;
    }
    lower[r] = nextDown(s - err[r]! - g * e);
  }
  return keep ? { lower, A: lam, lam: kept } : { lower, A: lam };
}

export interface IntermediateOptions {
  /** which layers to tighten with CROWN (others use IBP only); default all */
  crownLayers?: boolean;
  /** optional per-layer clamps (split constraints) applied to pre-activation bounds */
  clamp?: (layer: number, iv: Interval) => void;
  /** bounds known to hold already (e.g. from the parent domain in branch and bound); intersected first */
  prior?: Interval[];
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
        idx.forEach((i, r) => {
          iv.lower[i] = Math.max(iv.lower[i]!, res.lower[r]!);
          iv.upper[i] = Math.min(iv.upper[i]!, -res.lower[r + idx.length]!);
        });
      }
    }
    opts.clamp?.(k, iv);
    ctx.pre.push(iv);
    ctx.post.push(postInterval(net, k, iv));
  }
  return ctx;
}
