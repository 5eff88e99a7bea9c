// Complete verification by input-domain branch and bound (ReluVal/Neurify-style input splitting, Wang et al. 2018;
// the α,β-CROWN input-split mode): bound the spec rows with CROWN on a box; the box is safe once some row's lower
// bound of cᵢ·y − dᵢ is positive. Otherwise test concrete candidate points and bisect the input dimension with the
// largest sensitivity |Λᵢⱼ|·(uⱼ − lⱼ) of the best row's linear bound (the gradient-sensitivity heuristic).
import { type BackwardContext, backwardLower, concretiseLower, crownIntermediate, type LinearBounds } from "./crown.js";
import { type Counterexample, checkCounterexample, minimaxDescent } from "./falsify.js";
import { forwardIntermediate } from "./forward-linear.js";
import { denseInterval, type Interval } from "./ibp.js";
import type { Network } from "./network.js";
import type { VnnSpec } from "./vnnlib.js";

export interface SplitStats {
  domains: number;
  maxQueue: number;
}

export type SplitOutcome =
  | { status: "unsat" }
  | { status: "sat"; cex: Counterexample }
  | { status: "timeout" }
  | {
      status: "unknown";
      reason: string;
      /** stopped by maxDomains; `pending` (input splitting) holds the open boxes so a later call can resume */
      domainLimit?: boolean;
      pending?: SubBox[];
    };

export interface SplitOptions {
  deadline: number;
  maxDomains: number;
  onDomain?: (stats: SplitStats) => void;
  /** β-CROWN iterations per undecided ReLU-split domain (default 10; 0 = clamping only) */
  betaIterations?: number;
  /** open boxes of an earlier call stopped by maxDomains (input splitting): continue from them */
  resume?: SubBox[];
  /** intermediate bounds: backward CROWN (default) or the cheaper, looser forward linear mode */
  intermediate?: "forward" | "backward";
}

export interface SubBox {
  lower: Float64Array;
  upper: Float64Array;
  prior?: Interval[];
  priorLinear?: (LinearBounds | undefined)[];
  final?: { A: Float64Array; bias: Float64Array; err: Float64Array };
}

export function inputSplitBab(
  net: Network,
  spec: VnnSpec,
  specIndex: number,
  opts: SplitOptions,
  stats: SplitStats,
): SplitOutcome {
  const n = net.inputSize;
  const k = net.dense.length - 1;
  const stack: SubBox[] = opts.resume ? [...opts.resume] : [{ lower: spec.lower, upper: spec.upper }];
  while (stack.length > 0) {
    if ((stats.domains & 15) === 0 && Date.now() > opts.deadline) return { status: "timeout" };
    if (stats.domains >= opts.maxDomains)
      return {
        status: "unknown",
        reason: `domain limit ${opts.maxDomains} reached`,
        domainLimit: true,
        pending: stack,
      };
    const box = stack.pop()!;
    stats.domains++;
    opts.onDomain?.(stats);
    if (box.final) {
      // the parent's linear bound of the spec rows, re-evaluated on this half: often already positive
      const f = box.final;
      const lo = concretiseLower(f.A, f.bias, f.err, spec.rows, box);
      let ok = false;
      for (let r = 0; r < spec.rows && !ok; r++) ok = lo[r]! - spec.d[r]! > 0;
      if (ok) continue;
    }
    const ctx =
      opts.intermediate === "forward"
        ? forwardIntermediate(net, box)
        : crownIntermediate(net, box, { prior: box.prior, priorLinear: box.priorLinear });
    const res = backwardLower(ctx, k, spec.C, spec.rows);
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
    if (!safe && spec.rows > 1) safe = combinedRowsSafe(ctx, k, spec, res.lower);
    if (safe) continue;
    // candidate counterexamples: the minimiser of the best row's linear bound and the box centre
    const xs = new Float64Array(n);
    const xc = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      xs[j] = res.A[bestRow * n + j]! >= 0 ? box.lower[j]! : box.upper[j]!;
      xc[j] = (box.lower[j]! + box.upper[j]!) / 2;
    }
    const candidates: Float64Array[] = [xs, xc];
    if (spec.rows > 1) {
      // a counterexample makes every row ≤ 0, so also try the corners minimising the other rows and their sum
      const xsum = new Float64Array(n);
      for (let j = 0; j < n; j++) {
        let a = 0;
        for (let r = 0; r < spec.rows; r++) a += res.A[r * n + j]!;
        xsum[j] = a >= 0 ? box.lower[j]! : box.upper[j]!;
      }
      candidates.push(xsum);
      for (let r = 0; r < spec.rows; r++) {
        if (r === bestRow) continue;
        const xr = new Float64Array(n);
        for (let j = 0; j < n; j++) xr[j] = res.A[r * n + j]! >= 0 ? box.lower[j]! : box.upper[j]!;
        candidates.push(xr);
      }
    }
    // now and then, a short minimax descent over the whole spec box from this box's bound minimiser
    if ((stats.domains & 31) === 0) candidates.push(minimaxDescent(net, spec, xs, 20).x);
    for (const x of candidates) {
      const y = checkCounterexample(net, spec, x);
      if (y) return { status: "sat", cex: { x, y, spec: specIndex } };
    }
    // sensitivity |Λⱼ|·wⱼ, plus a share of the largest |Λ| so that a wide input the final linear bound ignores (its
    // influence hides in the intermediate relaxations) is still split eventually
    let amax = 0;
    for (let j = 0; j < n; j++) amax = Math.max(amax, Math.abs(res.A[bestRow * n + j]!));
    let dim = -1;
    let score = -1;
    for (let j = 0; j < n; j++) {
      const w = box.upper[j]! - box.lower[j]!;
      const s = (Math.abs(res.A[bestRow * n + j]!) + 0.05 * amax) * w;
      if (w > 0 && (s > score || (s === score && dim >= 0 && w > box.upper[dim]! - box.lower[dim]!))) {
        score = s;
        dim = j;
      }
    }
    if (dim < 0) return { status: "unknown", reason: "a box shrank to a point without a decision" };
    const mid = (box.lower[dim]! + box.upper[dim]!) / 2;
    if (!(mid > box.lower[dim]! && mid < box.upper[dim]!))
      return { status: "unknown", reason: "box too small to split in float64" };
    // a sub-box inherits the parent's intermediate bounds (sound on any subset), so splitting never loosens them
    // and the parent's linear bounds (intermediate and final), which re-evaluated on a half are tighter still
    const inherit: Omit<SubBox, "lower" | "upper"> = {
      prior: ctx.pre,
      priorLinear: ctx.lin,
      final: { A: res.A, bias: res.bias!, err: res.err! },
    };
    const left: SubBox = { lower: box.lower, upper: Float64Array.from(box.upper), ...inherit };
    left.upper[dim] = mid;
    const right: SubBox = { lower: Float64Array.from(box.lower), upper: box.upper, ...inherit };
    right.lower[dim] = mid;
    stack.push(right, left);
    if (stack.length > stats.maxQueue) stats.maxQueue = stack.length;
  }
  return { status: "unsat" };
}

/**
 * The box is safe when maxᵢ(cᵢ·y − dᵢ) > 0 everywhere, which a positive lower bound of any convex combination
 * Σλᵢ(cᵢ·y − dᵢ) proves even where no single row does (near the switch between two rows). Tries a few weights on the
 * two best rows; each try is one cheap backward pass reusing the intermediate bounds.
 */
export function combinedRowsSafe(ctx: BackwardContext, k: number, spec: VnnSpec, rowLower: Float64Array): boolean {
  const m = spec.C.length / spec.rows;
  let a = 0;
  let b = 1;
  if (rowLower[b]! - spec.d[b]! > rowLower[a]! - spec.d[a]!) [a, b] = [b, a];
  for (let r = 2; r < spec.rows; r++) {
    const v = rowLower[r]! - spec.d[r]!;
    if (v > rowLower[a]! - spec.d[a]!) [a, b] = [r, a];
    else if (v > rowLower[b]! - spec.d[b]!) b = r;
  }
  const weights = [0.5, 0.7, 0.3, 0.85, 0.15];
  const C = new Float64Array(weights.length * m);
  weights.forEach((w, q) => {
    for (let j = 0; j < m; j++) C[q * m + j] = w * spec.C[a * m + j]! + (1 - w) * spec.C[b * m + j]!;
  });
  const res = backwardLower(ctx, k, C, weights.length);
  // The rounded combination differs from the exact one by at most 2u(|w·cₐ| + |(1−w)·c_b|) per entry; that times
  // |y| (IBP of the last layer) and the same for d is the margin the bound must clear.
  const last = ctx.net.dense[k]!;
  const inIv = ctx.post[k - 1] ?? ctx.box;
  const y = denseInterval(last.W, last.b, last.inSize, last.outSize, inIv.lower, inIv.upper);
  return weights.some((w, q) => {
    let margin = 2 * Number.EPSILON * (w * Math.abs(spec.d[a]!) + (1 - w) * Math.abs(spec.d[b]!));
    for (let j = 0; j < m; j++) {
      const ymax = Math.max(Math.abs(y.lower[j]!), Math.abs(y.upper[j]!));
      margin += 2 * Number.EPSILON * (w * Math.abs(spec.C[a * m + j]!) + (1 - w) * Math.abs(spec.C[b * m + j]!)) * ymax;
    }
    const d = w * spec.d[a]! + (1 - w) * spec.d[b]!;
    return res.lower[q]! - d > 2 * margin;
  });
}
