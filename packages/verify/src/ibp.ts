// Interval bound propagation (Gowal et al. 2018, "On the effectiveness of interval bound propagation…"):
// [l, u] through W x + b as W⁺l + W⁻u + b and W⁺u + W⁻l + b, then the monotone activation, with outward rounding.
import type { Network } from "./network.js";
import { actInterval } from "./relaxation.js";
import { gamma, nextDown, nextUp } from "./rounding.js";

export interface Interval {
  lower: Float64Array;
  upper: Float64Array;
}

/** Sound interval image of one dense layer. */
export function denseInterval(
  W: Float64Array,
  b: Float64Array,
  inSize: number,
  outSize: number,
  l: Float64Array,
  u: Float64Array,
): Interval {
  const lower = new Float64Array(outSize);
  const upper = new Float64Array(outSize);
  const g = gamma(inSize + 1);
  // max(|l|,|u|) per input, hoisted out of the row loop (it was recomputed for every output: a large share of IBP)
  const xm = new Float64Array(inSize);
  for (let j = 0; j < inSize; j++) xm[j] = Math.max(Math.abs(l[j]!), Math.abs(u[j]!));
  for (let i = 0; i < outSize; i++) {
    let lo = b[i]!;
    let hi = b[i]!;
    let mag = Math.abs(b[i]!);
    const row = i * inSize;
    for (let j = 0; j < inSize; j++) {
      const w = W[row + j]!;
      if (w >= 0) {
        lo += w * l[j]!;
        hi += w * u[j]!;
      } else {
        lo += w * u[j]!;
        hi += w * l[j]!;
      }
      mag += Math.abs(w) * xm[j]!;
    }
    lower[i] = nextDown(lo - g * mag);
    upper[i] = nextUp(hi + g * mag);
  }
  return { lower, upper };
}

/** IBP through the whole network: pre-activation bounds of every hidden layer and the output bounds. */
export function ibp(net: Network, lower: Float64Array, upper: Float64Array): { pre: Interval[]; output: Interval } {
  let l = lower;
  let u = upper;
  const pre: Interval[] = [];
  for (let k = 0; k < net.dense.length; k++) {
    const d = net.dense[k]!;
    const z = denseInterval(d.W, d.b, d.inSize, d.outSize, l, u);
    const act = net.activations[k];
    if (!act) return { pre, output: z };
    pre.push(z);
    l = new Float64Array(d.outSize);
    u = new Float64Array(d.outSize);
    for (let i = 0; i < d.outSize; i++) [l[i], u[i]] = actInterval(act, z.lower[i]!, z.upper[i]!);
  }
  throw new Error("unreachable: a network ends with a dense layer");
}

/** Post-activation interval of hidden layer k given its pre-activation bounds. */
export function postInterval(net: Network, k: number, z: Interval): Interval {
  const act = net.activations[k]!;
  const n = z.lower.length;
  const lower = new Float64Array(n);
  const upper = new Float64Array(n);
  for (let i = 0; i < n; i++) [lower[i], upper[i]] = actInterval(act, z.lower[i]!, z.upper[i]!);
  return { lower, upper };
}
