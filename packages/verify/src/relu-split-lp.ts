// ReLU-split branch and bound inside one small input box, with an input-space LP per domain: the complete stage of
// a mixed input/ReLU-split search for low-dimensional inputs. Once input splitting has cut a box down to a few
// unstable ReLUs, further bisection converges only linearly on a thin near-violating band, while splitting those ReLUs
// ends in activation patterns where the network is affine and the bounds are exact. What makes the split domains
// provable is the input region each decision carves out: a decision sₜzₜ ≥ 0 implies ℓₜ(x) ≤ 0 for the linear lower
// bound ℓₜ of −sₜzₜ that CROWN already computed for the intermediate bounds, so the domain lies in
// {x ∈ box : ℓₜ(x) ≤ 0 ∀t}. An LP over that polytope (rows: the spec rows' CROWN lower bounds Lᵣ(x) − dᵣ ≤ τ; minimise τ)
// decides whether every point of it makes some row positive — the domain clipping of Clip-and-Verify (Zhou et al.
// 2024) and, on fully split domains, the exact LP per activation pattern of Reluplex/nnenum-style tools.
// Soundness never rests on the floating-point LP: its dual multipliers μ (rows), ν (decisions) only choose the
// combination Σμᵣ(Lᵣ − dᵣ) + Σνₜℓₜ, whose minimum over the box, computed with outward rounding, must be positive.
import {
  type BackwardContext,
  backwardLower,
  combineLinear,
  concretiseLower,
  crownIntermediate,
  type LinearBounds,
} from "./crown.js";
import { type Counterexample, checkCounterexample } from "./falsify.js";
import type { Interval } from "./ibp.js";
import type { Network } from "./network.js";
import { clampSplits, pickSplit, type Split } from "./relu-split.js";
import { gamma, nextDown } from "./rounding.js";
import { simplexMax } from "./simplex.js";
import type { VnnSpec } from "./vnnlib.js";

export interface BoxLpOptions {
  /** ReLU-split domains at most before giving the box back to input splitting */
  maxDomains: number;
  deadline: number;
  /** intermediate bounds known on the box (its input-split context): intersected first */
  prior?: Interval[];
  /** linear intermediate bounds built on the box or a superset (re-evaluated per domain, see crownIntermediate) */
  priorLinear?: (LinearBounds | undefined)[];
}

export type BoxLpOutcome =
  | { status: "unsat"; domains: number }
  | { status: "sat"; cex: Counterexample; domains: number }
  | { status: "open"; domains: number };

/** true when every activation is ReLU or LeakyReLU (piecewise linear: split decisions make the network affine) */
export function piecewiseLinear(net: Network): boolean {
  return net.activations.every((a) => a.kind === "relu" || a.kind === "leakyRelu");
}

/** Proves spec unsat on `box`, finds a counterexample there, or gives up ("open") after maxDomains domains. */
export function reluSplitLpBox(
  net: Network,
  spec: VnnSpec,
  specIndex: number,
  box: Interval,
  opts: BoxLpOptions,
): BoxLpOutcome {
  // a domain carries its parent's intermediate bounds (valid on the subset, so splitting never loosens them) and the
  // constraints ℓₜ ≤ 0 of every decision so far: the ones the parent rebuilt with its own relaxations (valid on the
  // subset) and the new decision's, from the parent's linear bound of its neuron (the child clamps that neuron, so it
  // has no such bound of its own before the rebuild)
  const stack: { splits: Split[]; prior?: Interval[]; cons: Constraints }[] = [
    { splits: [], prior: opts.prior, cons: noConstraints() },
  ];
  let domains = 0;
  while (stack.length > 0) {
    if (domains >= opts.maxDomains || ((domains & 7) === 7 && Date.now() > opts.deadline))
      return { status: "open", domains };
    const { splits, prior, cons } = stack.pop()!;
    domains++;
    const dom = boundSplitDomain(net, spec, box, splits, { prior, priorLinear: opts.priorLinear, cons });
    if (dom.lower > 0) continue;
    // not proven: the LP's minimiser is the point most likely to violate; then branch
    if (dom.x) {
      const y = checkCounterexample(net, spec, dom.x);
      if (y) return { status: "sat", cex: { x: dom.x, y, spec: specIndex }, domains };
    }
    // every ReLU fixed: the network is affine on the domain and the constraints exact, so the LP was exact and the
    // margin is at rounding level
    const pick = dom.ctx && dom.lam && pickSplit(dom.ctx, dom.lam, dom.rowWeights);
    if (!pick) return { status: "open", domains };
    const own = dom.cons!;
    const child = (sign: 1 | -1) => {
      const c: Constraints = { A: [...own.A], bias: [...own.bias], err: [...own.err], layer: [...own.layer] };
      addSplitConstraint(net, box, dom.ctx!.lin?.[pick.layer], { ...pick, sign }, c);
      return { splits: [...splits, { ...pick, sign }], prior: dom.ctx!.pre, cons: c };
    };
    stack.push(child(-1), child(1));
  }
  return { status: "unsat", domains };
}

export interface SplitDomainBound {
  /**
   * sound lower bound of maxᵣ(cᵣ·y − dᵣ) over the points of the box whose pre-activations satisfy every split decision
   * (+∞ when there are none); the spec is proven on the domain when it is positive
   */
  lower: number;
  /** the LP's minimiser (a counterexample candidate) */
  x?: Float64Array;
  /** the domain's CROWN context, Λ' per layer and row weights for branching (absent when the domain is empty) */
  ctx?: BackwardContext;
  lam?: Float64Array[];
  rowWeights: Float64Array;
  /** the decisions' constraints built on this domain (what its children inherit; absent when the domain is empty) */
  cons?: Constraints;
}

/**
 * Bounds the spec on one ReLU-split domain inside the box: CROWN with clamped splits, where (with `tighten`) every
 * later layer's unstable neurons are first bounded by the LP over the region the earlier decisions carve out, then the
 * input-space LP on the spec rows.
 */
export function boundSplitDomain(
  net: Network,
  spec: VnnSpec,
  box: Interval,
  splits: Split[],
  opts: {
    prior?: Interval[];
    priorLinear?: (LinearBounds | undefined)[];
    tighten?: boolean;
    /** the decisions' constraints inherited from the parents (see reluSplitLpBox); default none */
    cons?: Constraints;
  } = {},
): SplitDomainBound {
  const tighten = opts.tighten ?? true;
  const n = net.inputSize;
  const k = net.dense.length - 1;
  const R = spec.rows;
  const rowWeights = new Float64Array(R);
  const state = { infeasible: false };
  // the region: the inherited constraints, whose rows are replaced layer by layer by the decisions' constraints rebuilt
  // from this domain's final bounds of the earlier layers (rebuildSplitConstraints), which the LPs of later layers
  // already use
  const inherited = opts.cons ?? noConstraints();
  const own = noConstraints();
  let cons = inherited;
  const ctx = crownIntermediate(net, box, {
    prior: opts.prior,
    priorLinear: opts.priorLinear,
    clamp: clampSplits(splits, state),
    tighten: (layer, iv, lin, partial) => {
      if (tighten && lin && cons.bias.length > 0 && !state.infeasible) {
        const m = lin.idx.length;
        lin.idx.forEach((t, r) => {
          if (!(iv.lower[t]! < 0 && iv.upper[t]! > 0)) return;
          if (state.infeasible) return;
          const lo = certifiedLpLower(lin.A.subarray(r * n, (r + 1) * n), lin.bias[r]!, lin.err[r]!, cons, box);
          if (lo.lower > iv.lower[t]!) iv.lower[t] = lo.lower;
          if (iv.lower[t]! < 0) {
            const q = r + m;
            const up = certifiedLpLower(lin.A.subarray(q * n, (q + 1) * n), lin.bias[q]!, lin.err[q]!, cons, box);
            if (-up.lower < iv.upper[t]!) iv.upper[t] = -up.lower;
          }
          // an empty region (Farkas certificate, +∞) or crossed bounds: the domain has no point
          if (!(iv.lower[t]! <= iv.upper[t]!)) state.infeasible = true;
        });
      }
      if (state.infeasible || !splits.some((s) => s.layer === layer)) return;
      rebuildSplitConstraints(box, partial, layer, splits, own);
      cons = withDeeper(own, inherited, layer);
    },
  });
  if (state.infeasible) return { lower: Number.POSITIVE_INFINITY, rowWeights };
  const res = backwardLower(ctx, k, spec.C, R, undefined, true);
  let bestRow = 0;
  for (let r = 1; r < R; r++) if (res.lower[r]! - spec.d[r]! > res.lower[bestRow]! - spec.d[bestRow]!) bestRow = r;
  rowWeights[bestRow] = 1;
  // dᵣ enters the bias up to one rounding
  const out: SplitDomainBound = {
    lower: nextDown(res.lower[bestRow]! - spec.d[bestRow]!),
    ctx,
    lam: res.lam!,
    rowWeights,
    cons: own,
  };
  if (out.lower > 0) return out;
  const A = new Float64Array(R * n);
  const bias = new Float64Array(R);
  const err = new Float64Array(R);
  A.set(res.A.subarray(0, R * n));
  for (let r = 0; r < R; r++) {
    bias[r] = res.bias![r]! - spec.d[r]!;
    err[r] = res.err![r]! + gamma(2) * (Math.abs(res.bias![r]!) + Math.abs(spec.d[r]!));
  }
  const lp = certifiedLpLower(A, bias, err, cons, box);
  out.x = lp.x;
  if (lp.lower > out.lower) out.lower = lp.lower;
  if (lp.rowWeights?.some((v) => v > 0)) rowWeights.set(lp.rowWeights);
  return out;
}

/** Linear functions ℓₜ(x) = Aₜ·x + biasₜ − errₜ, each ≤ 0 on a split domain (rows of A: inputSize each). */
export interface Constraints {
  A: number[];
  bias: number[];
  err: number[];
  /** the layer of the decision each row comes from */
  layer: number[];
}

const noConstraints = (): Constraints => ({ A: [], bias: [], err: [], layer: [] });

/** The rows of `a`, then those of `b` from decisions on layers after `layer`. */
function withDeeper(a: Constraints, b: Constraints, layer: number): Constraints {
  const out: Constraints = { A: [...a.A], bias: [...a.bias], err: [...a.err], layer: [...a.layer] };
  const n = b.layer.length > 0 ? b.A.length / b.layer.length : 0;
  b.layer.forEach((l, r) => {
    if (l <= layer) return;
    for (let j = 0; j < n; j++) out.A.push(b.A[r * n + j]!);
    out.bias.push(b.bias[r]!);
    out.err.push(b.err[r]!);
    out.layer.push(l);
  });
  return out;
}

/**
 * The constraints ℓₜ ≤ 0 of the decisions on one layer rebuilt from a context holding the domain's final bounds of
 * every earlier layer: ℓₜ is CROWN's linear lower bound of −sₜzₜ there (layer 0: the exact affine pre-activation).
 * Built with the domain's own (tighter) relaxations they are usually tighter than the ones inherited from the parent,
 * and exact (up to rounding) once every earlier ReLU is stable.
 */
function rebuildSplitConstraints(
  box: Interval,
  ctx: BackwardContext,
  layer: number,
  splits: Split[],
  cons: Constraints,
): void {
  const here = splits.filter((s) => s.layer === layer);
  if (layer === 0) {
    for (const s of here) addSplitConstraint(ctx.net, box, undefined, s, cons);
    return;
  }
  const n = ctx.net.inputSize;
  const width = ctx.net.dense[layer]!.outSize;
  const C = new Float64Array(here.length * width);
  here.forEach((s, r) => {
    C[r * width + s.neuron] = -s.sign;
  });
  const res = backwardLower(ctx, layer, C, here.length);
  for (let r = 0; r < here.length; r++) {
    for (let j = 0; j < n; j++) cons.A.push(res.A[r * n + j]!);
    cons.bias.push(res.bias![r]!);
    cons.err.push(res.err![r]!);
    cons.layer.push(layer);
  }
}

/**
 * Appends ℓₜ for one decision, from the linear bounds `lin` of its layer in a context containing the domain (layer 0:
 * the exact affine pre-activation). A decision whose neuron has no row in `lin` (that context showed it stable, so
 * its clamp settles it) contributes nothing.
 */
function addSplitConstraint(
  net: Network,
  box: Interval,
  lin: LinearBounds | undefined,
  s: Split,
  cons: Constraints,
): void {
  const n = net.inputSize;
  if (s.layer === 0) {
    const d = net.dense[0]!;
    const o = s.neuron * d.inSize;
    let mag = Math.abs(d.b[s.neuron]!);
    for (let j = 0; j < n; j++) {
      cons.A.push(-s.sign * d.W[o + j]!);
      mag += Math.abs(d.W[o + j]!) * Math.max(Math.abs(box.lower[j]!), Math.abs(box.upper[j]!));
    }
    cons.bias.push(-s.sign * d.b[s.neuron]!);
    cons.err.push(gamma(n + 2) * mag);
    cons.layer.push(0);
    return;
  }
  const r = lin ? lin.idx.indexOf(s.neuron) : -1;
  if (!lin || r < 0) return;
  // rows 0…m−1 bound z from below, rows m…2m−1 bound −z from below
  const row = s.sign > 0 ? r + lin.idx.length : r;
  for (let j = 0; j < n; j++) cons.A.push(lin.A[row * n + j]!);
  cons.bias.push(lin.bias[row]!);
  cons.err.push(lin.err[row]!);
  cons.layer.push(s.layer);
}

/**
 * Sound lower bound of maxᵣ fᵣ(x) (rows of A/bias/err, fᵣ = Aᵣ·x + biasᵣ − errᵣ) over {x ∈ box : every constraint
 * function ≤ 0} (+∞ when that set is certified empty), from the LP's dual weights: on the set,
 * Σμᵣfᵣ + Σνₜℓₜ ≤ Σμᵣfᵣ ≤ (Σμᵣ)·maxᵣ fᵣ, and the left side's minimum over the box is computed with outward rounding.
 */
function certifiedLpLower(
  A: Float64Array,
  bias: Float64Array | number,
  err: Float64Array | number,
  cons: Constraints,
  box: Interval,
): { lower: number; x?: Float64Array; rowWeights?: Float64Array } {
  const n = box.lower.length;
  const R = A.length / n;
  const S = cons.bias.length;
  const allA = new Float64Array((R + S) * n);
  const allB = new Float64Array(R + S);
  const allE = new Float64Array(R + S);
  allA.set(A);
  allA.set(cons.A, R * n);
  if (typeof bias === "number") allB[0] = bias;
  else allB.set(bias);
  allB.set(cons.bias, R);
  if (typeof err === "number") allE[0] = err;
  else allE.set(err);
  allE.set(cons.err, R);
  const rowMin = concretiseLower(allA, allB, allE, R, box);
  let lower = Number.NEGATIVE_INFINITY;
  for (let r = 0; r < R; r++) lower = Math.max(lower, rowMin[r]!);
  if (S === 0 && R === 1) return { lower };
  if (R === 1 && cornerFeasible(allA, allB, allE, S, box)) return { lower };
  const lp = minimiseMaxRows(allA, allB, allE, R, S, box, lower);
  if (!lp.weights) return { lower, x: lp.x };
  const f = combineLinear(lp.weights, allA, allB, allE, box);
  const lb = concretiseLower(f.A, f.bias, f.err, 1, box)[0]!;
  let mu = 0;
  for (let r = 0; r < R; r++) mu += lp.weights[r]!;
  const rowWeights = lp.weights.slice(0, R);
  if (mu > 0) {
    // lb/Σμ bounds maxᵣ fᵣ; the float sum of μ is within a factor 1 ± γ of the exact one
    const q = lb / (lb > 0 ? mu * (1 + gamma(R + 2)) : mu * (1 - gamma(R + 2)));
    lower = Math.max(lower, nextDown(q));
  } else if (lb > 0) lower = Number.POSITIVE_INFINITY; // μ = 0, lb > 0: a Farkas certificate that the set is empty
  return { lower, x: lp.x, rowWeights };
}

/**
 * True when the box corner minimising row 0 satisfies every constraint row 1…S (with a small slack): the polytope then
 * contains the box minimiser, so the LP minimum is the box minimum `concretiseLower` already gave (soundly), and the
 * LP can be skipped. Most LPs that tighten intermediate neurons are of this kind.
 */
function cornerFeasible(A: Float64Array, bias: Float64Array, err: Float64Array, S: number, box: Interval): boolean {
  const n = box.lower.length;
  for (let t = 1; t <= S; t++) {
    let v = bias[t]! - err[t]!;
    let mag = Math.abs(bias[t]!);
    for (let j = 0; j < n; j++) {
      const xj = A[j]! >= 0 ? box.lower[j]! : box.upper[j]!;
      const a = A[t * n + j]!;
      v += a * xj;
      mag += Math.abs(a * xj);
    }
    if (v > -1e-9 * mag) return false;
  }
  return true;
}

/**
 * LP: minimise τ over x ∈ box with fᵣ(x) ≤ τ (r < R) and fₜ(x) ≤ 0 (the S constraint rows), fᵢ = Aᵢ·x + biasᵢ − errᵢ.
 * Returns the minimiser and the nonnegative dual weights of all R + S rows (Phase I's when the polytope looks empty:
 * a Farkas combination); either may be missing when the simplex fails.
 */
function minimiseMaxRows(
  A: Float64Array,
  bias: Float64Array,
  err: Float64Array,
  R: number,
  S: number,
  box: Interval,
  rowMax: number,
): { x?: Float64Array; weights?: Float64Array } {
  const n = box.lower.length;
  // τ ≥ maxᵣ minₓ fᵣ(x) = rowMax: shift τ by it so that the LP variable τ' = τ − τ₀ is nonnegative
  const tau0 = nextDown(rowMax);
  // variables x' = x − l ∈ [0, w] and τ'
  const N = n + 1;
  const m = R + S + n;
  const G = new Float64Array(m * N);
  const h = new Float64Array(m);
  for (let i = 0; i < R + S; i++) {
    let rhs = err[i]! - bias[i]! + (i < R ? tau0 : 0);
    for (let j = 0; j < n; j++) {
      G[i * N + j] = A[i * n + j]!;
      rhs -= A[i * n + j]! * box.lower[j]!;
    }
    if (i < R) G[i * N + n] = -1;
    h[i] = rhs;
  }
  for (let j = 0; j < n; j++) {
    G[(R + S + j) * N + j] = 1;
    h[R + S + j] = box.upper[j]! - box.lower[j]!;
  }
  const c = new Float64Array(N);
  c[n] = -1;
  const lp = simplexMax(G, h, c, m, N);
  if (lp.status === "iterationLimit" || lp.status === "unbounded") return {};
  const weights = lp.dual.slice(0, R + S);
  if (lp.status === "infeasible") return { weights };
  const x = new Float64Array(n);
  for (let j = 0; j < n; j++) x[j] = Math.min(box.upper[j]!, Math.max(box.lower[j]!, box.lower[j]! + lp.x[j]!));
  return { x, weights };
}
