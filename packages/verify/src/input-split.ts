// Complete verification by input-domain branch and bound (ReluVal/Neurify-style input splitting, Wang et al. 2018;
// the α,β-CROWN input-split mode): bound the spec rows with CROWN on a box; the box is safe once some row's lower
// bound of cᵢ·y − dᵢ is positive. Otherwise test concrete candidate points and bisect the input dimension with the
// largest sensitivity |Λᵢⱼ|·(uⱼ − lⱼ) of the best row's linear bound (the gradient-sensitivity heuristic).
import { type BackwardContext, backwardLower, concretiseLower, crownIntermediate, type LinearBounds } from "./crown.js";
import { type Counterexample, checkCounterexample, minimaxDescent, specMargin } from "./falsify.js";
import { forwardIntermediate } from "./forward-linear.js";
import { denseInterval, type Interval } from "./ibp.js";
import { forward, type Network } from "./network.js";
import { isStable } from "./relaxation.js";
import { piecewiseLinear, reluSplitLpBox } from "./relu-split-lp.js";
import type { VnnSpec } from "./vnnlib.js";

const DEFAULT_RELU_LP = { maxUnstable: 20, maxDomains: 256 };

/** Number of unstable neurons (ReLU/LeakyReLU with l < 0 < u) over the intermediate bounds of a context. */
function unstableCount(ctx: BackwardContext): number {
  let u = 0;
  ctx.pre.forEach((z, j) => {
    const act = ctx.net.activations[j]!;
    for (let t = 0; t < z.lower.length; t++) if (!isStable(act, z.lower[t]!, z.upper[t]!)) u++;
  });
  return u;
}

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
  /**
   * input splitting, piecewise-linear networks: a box left with at most `maxUnstable` unstable ReLUs is handed to
   * ReLU-split branch and bound with an input-space LP (relu-split-lp.ts) for up to `maxDomains` domains before it is
   * bisected further (default { maxUnstable: 20, maxDomains: 256 }; false: bisection only)
   */
  reluLp?: { maxUnstable: number; maxDomains: number } | false;
}

export interface SubBox {
  lower: Float64Array;
  upper: Float64Array;
  prior?: Interval[];
  priorLinear?: (LinearBounds | undefined)[];
  /** the parent's linear bounds of the stacked rows of the specs `specs` (indices into the group; default [0]) */
  final?: { A: Float64Array; bias: Float64Array; err: Float64Array; specs?: number[] };
  /** specs of the group still open on this box (default: all) */
  open?: number[];
}

export function inputSplitBab(
  net: Network,
  spec: VnnSpec,
  specIndex: number,
  opts: SplitOptions,
  stats: SplitStats,
): SplitOutcome {
  return inputSplitBabGroup(net, [spec], [specIndex], opts, stats);
}

/**
 * Several specs over the same input box (a disjunction such as ACAS Xu props 5, 6, 9, 10: "y₀ is not minimal" =
 * ∨ⱼ yⱼ < y₀) searched in one tree: every box computes the intermediate bounds (the dominant cost) once, and one
 * backward pass bounds the rows of all specs still open there; a box is done once every spec is proven on it, and a
 * sub-box only carries the specs its parent left open. All specs must share `lower`/`upper`.
 */
export function inputSplitBabGroup(
  net: Network,
  specs: VnnSpec[],
  specIndices: number[],
  opts: SplitOptions,
  stats: SplitStats,
): SplitOutcome {
  const n = net.inputSize;
  const k = net.dense.length - 1;
  const m = net.outputSize;
  if (specs.length === 0) return { status: "unsat" }; // an empty disjunction has no unsafe point
  const all = specs.map((_, g) => g);
  const reluLp = opts.reluLp === false || !piecewiseLinear(net) ? null : (opts.reluLp ?? DEFAULT_RELU_LP);
  const stack: SubBox[] = opts.resume ? [...opts.resume] : [{ lower: specs[0]!.lower, upper: specs[0]!.upper }];
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
    let open = box.open ?? all;
    if (box.final) {
      // the parent's linear bounds of the spec rows, re-evaluated on this half: often already positive
      const f = box.final;
      const lo = concretiseLower(f.A, f.bias, f.err, f.A.length / n, box);
      const left: number[] = [];
      let off = 0;
      for (const g of f.specs ?? [0]) {
        const sp = specs[g]!;
        let ok = false;
        for (let r = 0; r < sp.rows && !ok; r++) ok = lo[off + r]! - sp.d[r]! > 0;
        off += sp.rows;
        if (!ok && open.includes(g)) left.push(g);
      }
      if (left.length === 0) continue;
      open = left;
    }
    const ctx =
      opts.intermediate === "forward"
        ? forwardIntermediate(net, box)
        : crownIntermediate(net, box, { prior: box.prior, priorLinear: box.priorLinear });
    // one backward pass for the stacked rows of every open spec
    let R = 0;
    for (const g of open) R += specs[g]!.rows;
    const C = new Float64Array(R * m);
    let off = 0;
    for (const g of open) {
      C.set(specs[g]!.C, off * m);
      off += specs[g]!.rows;
    }
    const res = backwardLower(ctx, k, C, R);
    const still: number[] = [];
    const firstRow: number[] = [];
    const bestRows: number[] = [];
    off = 0;
    for (const g of open) {
      const sp = specs[g]!;
      let bestRow = 0;
      let safe = false;
      for (let r = 0; r < sp.rows; r++) {
        const lb = res.lower[off + r]! - sp.d[r]!;
        if (lb > 0) {
          safe = true;
          break;
        }
        if (lb > res.lower[off + bestRow]! - sp.d[bestRow]!) bestRow = r;
      }
      if (!safe && sp.rows > 1) safe = combinedRowsSafe(ctx, k, sp, res.lower.subarray(off, off + sp.rows));
      if (!safe) {
        still.push(g);
        firstRow.push(off);
        bestRows.push(bestRow);
      }
      off += sp.rows;
    }
    if (reluLp && still.length > 0 && unstableCount(ctx) <= reluLp.maxUnstable) {
      // few unstable ReLUs left: settle the box by splitting them (exact once they are all fixed) unless that
      // takes more than a few domains
      for (let q = still.length - 1; q >= 0; q--) {
        const g = still[q]!;
        const inner = reluSplitLpBox(net, specs[g]!, specIndices[g]!, box, {
          maxDomains: reluLp.maxDomains,
          deadline: opts.deadline,
          prior: ctx.pre,
          priorLinear: ctx.lin,
        });
        stats.domains += inner.domains;
        if (inner.status === "sat") return { status: "sat", cex: inner.cex };
        if (inner.status === "unsat") {
          still.splice(q, 1);
          firstRow.splice(q, 1);
          bestRows.splice(q, 1);
        }
      }
    }
    if (still.length === 0) continue;
    // candidate counterexamples: the box centre and, per open spec, the minimiser of its best row's linear bound
    // (and, for several rows, of every other row and of their sum: a counterexample makes every row ≤ 0)
    const corner = (coef: (j: number) => number): Float64Array => {
      const x = new Float64Array(n);
      for (let j = 0; j < n; j++) x[j] = coef(j) >= 0 ? box.lower[j]! : box.upper[j]!;
      return x;
    };
    const xc = new Float64Array(n);
    for (let j = 0; j < n; j++) xc[j] = (box.lower[j]! + box.upper[j]!) / 2;
    const candidates: Float64Array[] = [xc];
    const minimisers: Float64Array[] = [];
    still.forEach((g, q) => {
      const sp = specs[g]!;
      const o = firstRow[q]!;
      const xs = corner((j) => res.A[(o + bestRows[q]!) * n + j]!);
      minimisers.push(xs);
      candidates.push(xs);
      if (sp.rows > 1) {
        candidates.push(
          corner((j) => {
            let a = 0;
            for (let r = 0; r < sp.rows; r++) a += res.A[(o + r) * n + j]!;
            return a;
          }),
        );
        for (let r = 0; r < sp.rows; r++)
          if (r !== bestRows[q]) candidates.push(corner((j) => res.A[(o + r) * n + j]!));
      }
    });
    // now and then, a short minimax descent over the whole spec box from one open spec's bound minimiser (in turn)
    if ((stats.domains & 31) === 0) {
      const q = (stats.domains >>> 5) % still.length;
      candidates.push(minimaxDescent(net, specs[still[q]!]!, minimisers[q]!, 20).x);
    }
    for (const x of candidates) {
      // the specs share the box, so one forward pass serves all of them
      const y = forward(net, x);
      for (const g of still) {
        if (specMargin(specs[g]!, y).margin <= 0 && checkCounterexample(net, specs[g]!, x))
          return { status: "sat", cex: { x, y, spec: specIndices[g]! } };
      }
    }
    // sensitivity Σᵣ|Λᵣⱼ|·wⱼ summed over the rows of every open spec, plus a share of the largest so that a wide
    // input the final linear bounds ignore (its influence hides in the intermediate relaxations) is still split
    // eventually. Summing the rows rather than taking the best row's alone matters for multi-row specs (ACAS Xu props
    // 2–4: "y₀ is (not) minimal/maximal"): a box is proven by whichever row turns positive, and near the switch
    // between two rows the split that helps is the one along which both vary (ACAS Xu 1_1 prop 3: 7501 → 1315
    // domains).
    const sens = new Float64Array(n);
    still.forEach((g, q) => {
      const o = firstRow[q]!;
      for (let r = 0; r < specs[g]!.rows; r++)
        for (let j = 0; j < n; j++) sens[j] = sens[j]! + Math.abs(res.A[(o + r) * n + j]!);
    });
    let amax = 0;
    for (let j = 0; j < n; j++) amax = Math.max(amax, sens[j]!);
    let dim = -1;
    let score = -1;
    for (let j = 0; j < n; j++) {
      const w = box.upper[j]! - box.lower[j]!;
      const s = (sens[j]! + 0.05 * amax) * w;
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
      final: { A: res.A, bias: res.bias!, err: res.err!, specs: open },
      open: still,
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
