// Complete verification by ReLU-split branch and bound (Bunel et al. 2020, "Branch and Bound for Piecewise Linear
// Neural Network Verification"; the BaBSR branching score). A domain is a set of split decisions zⱼₜ ≥ 0 / zⱼₜ ≤ 0 on
// unstable ReLU neurons; each decision clamps that neuron's pre-activation bounds, which makes its relaxation exact
// and tightens every later layer when CROWN recomputes the intermediate bounds. Empty clamped intervals mean the domain
// is infeasible (safe). Branching picks the unstable neuron with the largest BaBSR-style score |Λ'ₜ|·(−lₜuₜ/(uₜ−lₜ)),
// the bound improvement the triangle relaxation of that neuron costs the current best spec row.
// Split constraints clamp the bounds and, when CROWN alone does not decide a domain, also enter the bound through
// β-CROWN Lagrange multipliers (Wang et al. 2021) optimised jointly with the α slopes.
import { alphaCrownLower } from "./alpha-crown.js";
import { type BackwardContext, backwardLower, crownIntermediate } from "./crown.js";
import { checkCounterexample } from "./falsify.js";
import type { Interval } from "./ibp.js";
import type { SplitOptions, SplitOutcome, SplitStats } from "./input-split.js";
import type { Network } from "./network.js";
import { isStable } from "./relaxation.js";
import type { VnnSpec } from "./vnnlib.js";

export interface Split {
  layer: number;
  neuron: number;
  /** +1: z ≥ 0, −1: z ≤ 0 */
  sign: 1 | -1;
}

export function reluSplitBab(
  net: Network,
  spec: VnnSpec,
  specIndex: number,
  opts: SplitOptions,
  stats: SplitStats,
): SplitOutcome {
  const n = net.inputSize;
  const k = net.dense.length - 1;
  const box = { lower: spec.lower, upper: spec.upper };
  const stack: Split[][] = [[]];
  while (stack.length > 0) {
    if ((stats.domains & 7) === 0 && Date.now() > opts.deadline) return { status: "timeout" };
    if (stats.domains >= opts.maxDomains)
      return { status: "unknown", reason: `domain limit ${opts.maxDomains} reached`, domainLimit: true };
    const splits = stack.pop()!;
    stats.domains++;
    opts.onDomain?.(stats);
    const state = { infeasible: false };
    const ctx = crownIntermediate(net, box, { clamp: clampSplits(splits, state) });
    if (state.infeasible) continue;
    const res = backwardLower(ctx, k, spec.C, spec.rows, undefined, true);
    let bestRow = 0;
    let safe = false;
    for (let r = 0; r < spec.rows; r++) {
      const lb = res.lower[r]! - spec.d[r]!;
      if (lb > 0) {
        safe = true;
        break;
      }
      if (lb > res.lower[bestRow]! - spec.d[bestRow]!) bestRow = r;
    }
    if (!safe && splits.length > 0) {
      // β-CROWN: optimise slopes and split multipliers jointly (every iterate is sound; the best is kept)
      const opt = alphaCrownLower(ctx, k, spec.C, spec.rows, {
        splits,
        iterations: opts.betaIterations ?? 10,
        target: spec.d,
      });
      for (let r = 0; r < spec.rows && !safe; r++) safe = opt.lower[r]! - spec.d[r]! > 0;
    }
    if (safe) continue;
    const x = new Float64Array(n);
    for (let j = 0; j < n; j++) x[j] = res.A[bestRow * n + j]! >= 0 ? box.lower[j]! : box.upper[j]!;
    const y = checkCounterexample(net, spec, x);
    if (y) return { status: "sat", cex: { x, y, spec: specIndex } };
    const w = new Float64Array(spec.rows);
    w[bestRow] = 1;
    const pick = pickSplit(ctx, res.lam!, w);
    if (!pick) {
      // every ReLU is fixed: the bound is exact up to rounding, yet neither proof nor counterexample
      return { status: "unknown", reason: "all ReLUs split without a decision (rounding-level margin)" };
    }
    stack.push([...splits, { ...pick, sign: -1 }], [...splits, pick]);
    if (stack.length > stats.maxQueue) stats.maxQueue = stack.length;
  }
  return { status: "unsat" };
}

/**
 * The clamp of crownIntermediate that imposes split decisions on the pre-activation bounds (z ≥ 0 raises l to 0,
 * z ≤ 0 lowers u to 0); `state.infeasible` is set when a clamped interval comes out empty (the domain has no point).
 */
export function clampSplits(splits: Split[], state: { infeasible: boolean }): (layer: number, iv: Interval) => void {
  return (layer, iv) => {
    for (const s of splits) {
      if (s.layer !== layer) continue;
      if (s.sign > 0) iv.lower[s.neuron] = Math.max(iv.lower[s.neuron]!, 0);
      else iv.upper[s.neuron] = Math.min(iv.upper[s.neuron]!, 0);
      if (iv.lower[s.neuron]! > iv.upper[s.neuron]!) state.infeasible = true;
    }
  };
}

/**
 * BaBSR-style branching: the unstable ReLU/LeakyReLU neuron with the largest |Σᵣ wᵣΛ'ᵣₜ|·(−lₜuₜ/(uₜ−lₜ)), the bound
 * its triangle relaxation costs the weighted spec rows (Λ' per activation layer from backwardLower with keep).
 */
export function pickSplit(ctx: BackwardContext, lam: Float64Array[], w: Float64Array): Split | null {
  const { net } = ctx;
  let pick: Split | null = null;
  let bestScore = -1;
  for (let j = 0; j < lam.length; j++) {
    const act = net.activations[j]!;
    if (act.kind !== "relu" && act.kind !== "leakyRelu") continue;
    const z = ctx.pre[j]!;
    const lj = lam[j]!;
    const width = z.lower.length;
    for (let t = 0; t < width; t++) {
      const l = z.lower[t]!;
      const u = z.upper[t]!;
      if (isStable(act, l, u)) continue;
      let c = 0;
      for (let r = 0; r < w.length; r++) if (w[r] !== 0) c += w[r]! * lj[r * width + t]!;
      const score = Math.abs(c) * ((-l * u) / (u - l)) + 1e-12 * (u - l);
      if (score > bestScore) {
        bestScore = score;
        pick = { layer: j, neuron: t, sign: 1 };
      }
    }
  }
  return pick;
}
