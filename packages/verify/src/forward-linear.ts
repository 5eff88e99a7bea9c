// Forward linear bound propagation (symbolic intervals: Wang et al. 2018 "Efficient Formal Safety Analysis of Neural
// Networks" (Neurify); the forward mode of auto_LiRPA, Xu et al. 2020). Every neuron carries a lower and an upper
// linear function of the input, L(x) ≤ z ≤ U(x), pushed through W (W⁺L + W⁻U) and through the activation relaxations
// (all slopes ≥ 0 for ReLU/LeakyReLU/Sigmoid/Tanh, so lower feeds lower). Cost per layer is O(n_out·n_in·d) with
// d = input dimension, far below backward CROWN when d is small (ACAS Xu: d = 5), so it gives the intermediate bounds
// for input-split branch and bound. Rounding: each function carries an absolute error term (see rounding.ts).
import type { BackwardContext, IntermediateOptions } from "./crown.js";
import { denseInterval, type Interval, postInterval } from "./ibp.js";
import type { Network } from "./network.js";
import { relax } from "./relaxation.js";
import { gamma, nextDown, nextUp } from "./rounding.js";

export function forwardIntermediate(net: Network, box: Interval, opts: IntermediateOptions = {}): BackwardContext {
  const d0 = net.inputSize;
  const D = d0 + 1; // coefficients + constant
  const ctx: BackwardContext = { net, box, pre: [], post: [] };
  const xMag = new Float64Array(d0);
  for (let i = 0; i < d0; i++) xMag[i] = Math.max(Math.abs(box.lower[i]!), Math.abs(box.upper[i]!));
  // identity functions of the input
  let n = d0;
  let Lf = new Float64Array(n * D);
  let Uf = new Float64Array(n * D);
  let eL = new Float64Array(n);
  let eU = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    Lf[i * D + i] = 1;
    Uf[i * D + i] = 1;
  }
  // max over the box of |f(x)| bound for a function row: Σ|wᵢ|·|x|ᵢ + |c|
  const fmag = (F: Float64Array, o: number) => {
    let s = Math.abs(F[o + d0]!);
    for (let q = 0; q < d0; q++) s += Math.abs(F[o + q]!) * xMag[q]!;
    return s;
  };
  for (let k = 0; k < net.activations.length; k++) {
    const layer = net.dense[k]!;
    const m = layer.outSize;
    const zL = new Float64Array(m * D);
    const zU = new Float64Array(m * D);
    const ezL = new Float64Array(m);
    const ezU = new Float64Array(m);
    const magL = new Float64Array(n);
    const magU = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      magL[i] = fmag(Lf, i * D);
      magU[i] = fmag(Uf, i * D);
    }
    const g = gamma(n + d0 + 2);
    for (let t = 0; t < m; t++) {
      const row = t * layer.inSize;
      const o = t * D;
      let eLo = 0;
      let eUp = 0;
      let mag = Math.abs(layer.b[t]!);
      for (let i = 0; i < n; i++) {
        const w = layer.W[row + i]!;
        if (w === 0) continue;
        const srcL = w > 0 ? Lf : Uf;
        const srcU = w > 0 ? Uf : Lf;
        const io = i * D;
        for (let q = 0; q < D; q++) {
          zL[o + q] = zL[o + q]! + w * srcL[io + q]!;
          zU[o + q] = zU[o + q]! + w * srcU[io + q]!;
        }
        const aw = Math.abs(w);
        eLo += aw * (w > 0 ? eL[i]! : eU[i]!);
        eUp += aw * (w > 0 ? eU[i]! : eL[i]!);
        mag += aw * Math.max(magL[i]!, magU[i]!);
      }
      zL[o + d0] = zL[o + d0]! + layer.b[t]!;
      zU[o + d0] = zU[o + d0]! + layer.b[t]!;
      ezL[t] = eLo + g * mag;
      ezU[t] = eUp + g * mag;
    }
    // concretise, intersect with IBP
    const inIv = k === 0 ? box : ctx.post[k - 1]!;
    const iv = denseInterval(layer.W, layer.b, layer.inSize, m, inIv.lower, inIv.upper);
    const gc = gamma(d0 + 2);
    for (let t = 0; t < m; t++) {
      const o = t * D;
      let lo = zL[o + d0]!;
      let hi = zU[o + d0]!;
      for (let q = 0; q < d0; q++) {
        const a = zL[o + q]!;
        lo += a >= 0 ? a * box.lower[q]! : a * box.upper[q]!;
        const b = zU[o + q]!;
        hi += b >= 0 ? b * box.upper[q]! : b * box.lower[q]!;
      }
      lo = nextDown(lo - ezL[t]! - gc * fmag(zL, o));
      hi = nextUp(hi + ezU[t]! + gc * fmag(zU, o));
      if (lo > iv.lower[t]!) iv.lower[t] = lo;
      if (hi < iv.upper[t]!) iv.upper[t] = hi;
    }
    opts.clamp?.(k, iv);
    ctx.pre.push(iv);
    ctx.post.push(postInterval(net, k, iv));
    if (k === net.activations.length - 1) break;
    // through the activation: lower ← loSlope·L + loBias, upper ← upSlope·U + upBias (slopes ≥ 0)
    const act = net.activations[k]!;
    const hL = new Float64Array(m * D);
    const hU = new Float64Array(m * D);
    const ehL = new Float64Array(m);
    const ehU = new Float64Array(m);
    const ga = 4 * 2 ** -53;
    for (let t = 0; t < m; t++) {
      const l = iv.lower[t]!;
      const u = iv.upper[t]!;
      const o = t * D;
      const R = relax(act, l, u);
      if (R.loSlope !== 0) for (let q = 0; q < D; q++) hL[o + q] = R.loSlope * zL[o + q]!;
      hL[o + d0] = hL[o + d0]! + R.loBias;
      if (R.upSlope !== 0) for (let q = 0; q < D; q++) hU[o + q] = R.upSlope * zU[o + q]!;
      hU[o + d0] = hU[o + d0]! + R.upBias;
      ehL[t] = R.loSlope * ezL[t]! + ga * (fmag(hL, o) + Math.abs(R.loBias));
      ehU[t] = R.upSlope * ezU[t]! + ga * (fmag(hU, o) + Math.abs(R.upBias));
    }
    Lf = hL;
    Uf = hU;
    eL = ehL;
    eU = ehU;
    n = m;
  }
  return ctx;
}
