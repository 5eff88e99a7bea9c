// Entropic OT front end: input checks, method dispatch, batched right-hand sides, the differentiable
// sinkhorn2 (envelope theorem by default, unrolled log-domain iterations on request) and the
// debiased Sinkhorn divergence (Feydy et al., "Interpolating between optimal transport and MMD using
// Sinkhorn divergences", AISTATS 2019).
import * as X from "@x/tensor";
import { asTensor, customVjp, fromData, ShapeError, type Tensor, type TensorLike, ValueError } from "@x/tensor";
import { dist, type Metric } from "./dist.js";
import { balancedProblem, checkMarginal, checkPositive, vec } from "./internal/validate.js";
import { sinkhornEpsScaling } from "./sinkhorn-eps-scaling.js";
import { sinkhornKnopp } from "./sinkhorn-knopp.js";
import { sinkhornLog } from "./sinkhorn-log.js";
import { sinkhornStabilized } from "./sinkhorn-stabilized.js";
import type { SinkhornCoreResult } from "./sinkhorn-types.js";

export type SinkhornMethod = "sinkhorn" | "log" | "stabilized" | "epsScaling";

export interface SinkhornOptions {
  /** "sinkhorn" (scaling, default as in POT), "log", "stabilized" (absorption) or "epsScaling". */
  method?: SinkhornMethod;
  /** Maximum iterations (default 1000, POT's numItermax). */
  maxIter?: number;
  /** Stop when the marginal error ‖Pᵀ𝟙 − b‖₂ < tol (default 1e-9, POT's stopThr). */
  tol?: number;
  /** Warm start from dual potentials (cost units), e.g. a previous result's f and g. */
  warmStart?: { f: TensorLike; g: TensorLike };
  /** Absorption threshold of the stabilized method (default 1e3). */
  tau?: number;
  /** First regularisation of epsScaling (default max|M|) and its decrease factor (default 0.5). */
  epsilon0?: number;
  scalingFactor?: number;
  /**
   * Exp-sum kernel of the "log" and "epsScaling" methods: "wasm" (WebAssembly SIMD, used where the
   * engine supports it), "js" (Math.exp loops) or "auto" (default: wasm from 1024 cost entries on,
   * where it pays for its setup). Whole solves agree to 1e-13 relative.
   */
  expBackend?: "auto" | "wasm" | "js";
}

export interface SinkhornResult {
  plan: Tensor;
  /** Dual potentials in cost units: plan = exp((f ⊕ g − M)/reg). */
  f: Tensor;
  g: Tensor;
  /** Scalings u = exp(f/reg), v = exp(g/reg) (POT's u, v); may under/overflow for small reg. */
  u: Tensor;
  v: Tensor;
  /** ⟨plan, M⟩. */
  cost: number;
  /** ⟨P, M⟩ + reg Σ P (log P − 1): the entropic objective at the plan. */
  entropicCost: number;
  converged: boolean;
  status: SinkhornCoreResult["status"];
  iterations: number;
  /** Marginal error per iteration; `residual` is the last. */
  errors: number[];
  residual: number;
}

function solve(a: Float64Array, b: Float64Array, M: Float64Array, reg: number, opts: SinkhornOptions) {
  const maxIter = opts.maxIter ?? 1000;
  const tol = opts.tol ?? 1e-9;
  if (!(Number.isInteger(maxIter) && maxIter >= 0))
    throw new ValueError(`maxIter must be an integer ≥ 0, got ${maxIter}`);
  if (!(tol >= 0)) throw new ValueError(`tol must be ≥ 0, got ${tol}`);
  const f0 = opts.warmStart ? vec(opts.warmStart.f, "warmStart.f") : undefined;
  const g0 = opts.warmStart ? vec(opts.warmStart.g, "warmStart.g") : undefined;
  if (f0 && f0.length !== a.length) throw new ShapeError(`warmStart.f has ${f0.length} entries, a has ${a.length}`);
  if (g0 && g0.length !== b.length) throw new ShapeError(`warmStart.g has ${g0.length} entries, b has ${b.length}`);
  if (opts.expBackend !== undefined && !["auto", "wasm", "js"].includes(opts.expBackend)) {
    throw new ValueError(`expBackend must be "auto", "wasm" or "js", got ${String(opts.expBackend)}`);
  }
  const core = { maxIter, tol, f0, g0, expBackend: opts.expBackend };
  switch (opts.method ?? "sinkhorn") {
    case "sinkhorn":
      return sinkhornKnopp(a, b, M, reg, core);
    case "log":
      return sinkhornLog(a, b, M, reg, core);
    case "stabilized":
      return sinkhornStabilized(a, b, M, reg, { ...core, tau: opts.tau });
    case "epsScaling":
      return sinkhornEpsScaling(a, b, M, reg, {
        ...core,
        epsilon0: opts.epsilon0,
        scalingFactor: opts.scalingFactor,
      });
    default:
      throw new ValueError(`method must be sinkhorn, log, stabilized or epsScaling, got ${String(opts.method)}`);
  }
}

function wrap(r: SinkhornCoreResult, M: Float64Array, n1: number, n2: number, reg: number): SinkhornResult {
  // cost = ⟨P, M⟩ and, with log P_ij = (f_i + g_j − M_ij)/reg, Σ P(log P − 1) = (Σ_i f_i r_i + Σ_j g_j c_j − cost)/reg − Σ P
  // from the row/column sums r, c of P: one multiply-add pass. Rows/columns with a non-finite potential are all-zero.
  const P = r.plan;
  const colSum = new Float64Array(n2);
  let cost = 0;
  let fr = 0;
  let mass = 0;
  for (let i = 0; i < n1; i++) {
    const o = i * n2;
    let ri = 0;
    for (let j = 0; j < n2; j++) {
      const p = P[o + j]!;
      cost += p * M[o + j]!;
      ri += p;
      colSum[j] = colSum[j]! + p;
    }
    mass += ri;
    if (ri > 0) fr += r.f[i]! * ri;
  }
  let gc = 0;
  for (let j = 0; j < n2; j++) if (colSum[j]! > 0) gc += r.g[j]! * colSum[j]!;
  const ent = (fr + gc - cost) / reg - mass;
  return {
    plan: fromData(P, [n1, n2]),
    f: fromData(r.f, [n1]),
    g: fromData(r.g, [n2]),
    u: fromData(
      Float64Array.from(r.f, (x) => Math.exp(x / reg)),
      [n1],
    ),
    v: fromData(
      Float64Array.from(r.g, (x) => Math.exp(x / reg)),
      [n2],
    ),
    cost,
    entropicCost: cost + reg * ent,
    converged: r.status === "converged",
    status: r.status,
    iterations: r.iterations,
    errors: r.errors,
    residual: r.errors.at(-1) ?? Number.NaN,
  };
}

/**
 * Entropic OT plan: min ⟨P, M⟩ + reg Σ P (log P − 1) with P𝟙 = a, Pᵀ𝟙 = b (POT's ot.sinkhorn).
 * Empty or omitted a/b mean uniform weights.
 */
export function sinkhorn(
  a: TensorLike | undefined,
  b: TensorLike | undefined,
  M: TensorLike,
  reg: number,
  opts: SinkhornOptions = {},
): SinkhornResult {
  checkPositive(reg, "reg");
  const p = balancedProblem(a, b, M);
  return wrap(solve(p.a, p.b, p.M.data, reg, opts), p.M.data, p.M.rows, p.M.cols, reg);
}

export interface Sinkhorn2Options extends SinkhornOptions {
  /** "linear" (default, POT): ⟨P, M⟩; "entropic": ⟨P, M⟩ + reg Σ P (log P − 1). */
  objective?: "linear" | "entropic";
  /**
   * "envelope" (default): gradients (f, g, P) w.r.t. (a, b, M) — exact for the entropic objective at
   * convergence, POT's approximation for the linear one. "unrolled": differentiate through the
   * log-domain iterations (exact for either objective, costs a tape of every iteration).
   */
  grad?: "envelope" | "unrolled";
}

function sinkhorn2Single(a: Tensor, b: Tensor, M: Tensor, reg: number, opts: Sinkhorn2Options): Tensor {
  const objective = opts.objective ?? "linear";
  if (objective !== "linear" && objective !== "entropic") {
    throw new ValueError(`objective must be linear or entropic, got ${String(objective)}`);
  }
  if ((opts.grad ?? "envelope") === "unrolled") return sinkhorn2Unrolled(a, b, M, reg, opts, objective);
  const run = (at: Tensor, bt: Tensor, Mt: Tensor) => sinkhorn(at, bt, Mt, reg, opts);
  const value = (r: SinkhornResult) => X.scalarTensor(objective === "linear" ? r.cost : r.entropicCost);
  const f = customVjp(
    (at: Tensor, bt: Tensor, Mt: Tensor) => value(run(at, bt, Mt)),
    (at: Tensor, bt: Tensor, Mt: Tensor) => {
      const r = run(at, bt, Mt);
      return [value(r), r];
    },
    (r: SinkhornResult, g: Tensor) => {
      const s = g.item();
      const sc = (t: Tensor) =>
        fromData(
          t.data.map((x) => x * s),
          [...t.shape],
        );
      return [sc(r.f), sc(r.g), sc(r.plan)];
    },
  );
  return f(a, b, M);
}

/** Log-domain Sinkhorn in tensor ops for as many iterations as the array solver needed. */
function sinkhorn2Unrolled(
  a: Tensor,
  b: Tensor,
  M: Tensor,
  reg: number,
  opts: Sinkhorn2Options,
  objective: "linear" | "entropic",
): Tensor {
  const ref = sinkhorn(X.stopGradient(a), X.stopGradient(b), X.stopGradient(M), reg, { ...opts, method: "log" });
  const [n1, n2] = M.shape as [number, number];
  const la = X.mul(reg, X.log(a));
  const lb = X.mul(reg, X.log(b));
  let f: Tensor = X.zeros([n1]);
  let g: Tensor = X.zeros([n2]);
  const S = (ff: Tensor, gg: Tensor) => X.div(X.sub(X.add(X.reshape(ff, [n1, 1]), X.reshape(gg, [1, n2])), M), reg);
  // Same order as sinkhornLog: fit rows, then (unless that was the converged last step) columns.
  for (let k = 0; k < ref.iterations; k++) {
    f = X.add(f, X.sub(la, X.mul(reg, X.logsumexp(S(f, g), { axis: 1 }))));
    if (k < ref.iterations - 1 || !ref.converged) {
      g = X.add(g, X.sub(lb, X.mul(reg, X.logsumexp(S(f, g), { axis: 0 }))));
    }
  }
  const logP = S(f, g);
  const P = X.exp(logP);
  const lin = X.sum(X.mul(P, M));
  return objective === "linear" ? lin : X.add(lin, X.mul(reg, X.sum(X.mul(P, X.sub(logP, 1)))));
}

/**
 * Entropic OT value (POT's ot.sinkhorn2) as a tensor, differentiable w.r.t. a, b and M (and so
 * w.r.t. point positions through `dist`). If b is an (n2, k) matrix, solves k problems sharing a
 * and M and returns k values, like POT.
 */
export function sinkhorn2(
  a: TensorLike | undefined,
  b: TensorLike | undefined,
  M: TensorLike,
  reg: number,
  opts: Sinkhorn2Options = {},
): Tensor {
  checkPositive(reg, "reg");
  const Mt = asTensor(M, "M");
  if (Mt.rank !== 2) throw new ShapeError(`M must be a 2-D matrix, got shape [${Mt.shape.join(", ")}]`);
  const [n1, n2] = Mt.shape as [number, number];
  const empty = (w: TensorLike | undefined) => w === undefined || (Array.isArray(w) && w.length === 0);
  const at = empty(a) ? X.full([n1], 1 / n1) : asTensor(a as TensorLike, "a");
  const bt = empty(b) ? X.full([n2], 1 / n2) : asTensor(b as TensorLike, "b");
  if (bt.rank === 2) {
    if (bt.shape[0] !== n2) throw new ShapeError(`b has ${bt.shape[0]} rows but M has ${n2} columns`);
    const cols = bt.shape[1]!;
    const out: Tensor[] = [];
    for (let k = 0; k < cols; k++) {
      const bk = X.reshape(
        X.slice(bt, [
          [0, n2],
          [k, k + 1],
        ]),
        [n2],
      );
      balancedProblem(at, bk, Mt);
      out.push(sinkhorn2Single(at, bk, Mt, reg, opts));
    }
    return X.stack(out);
  }
  balancedProblem(at, bt, Mt);
  return sinkhorn2Single(at, bt, Mt, reg, opts);
}

export interface SinkhornDivergenceOptions extends Omit<Sinkhorn2Options, "objective" | "warmStart"> {
  a?: TensorLike;
  b?: TensorLike;
  metric?: Metric;
}

/**
 * Debiased Sinkhorn divergence between point clouds x (n, d) and y (m, d):
 * S = OT_reg(a, b) − ½ OT_reg(a, a) − ½ OT_reg(b, b) with the entropic objective, so S ≥ 0 and
 * S(x, x) = 0. Differentiable w.r.t. x, y, a and b. Uses the log-domain solver by default.
 */
export function sinkhornDivergence(
  x: TensorLike,
  y: TensorLike,
  reg: number,
  opts: SinkhornDivergenceOptions = {},
): Tensor {
  checkPositive(reg, "reg");
  const xt = asTensor(x, "x");
  const yt = asTensor(y, "y");
  const n = xt.shape[0]!;
  const m = yt.shape[0]!;
  const a = opts.a === undefined ? X.full([n], 1 / n) : asTensor(opts.a, "a");
  const b = opts.b === undefined ? X.full([m], 1 / m) : asTensor(opts.b, "b");
  if (a.size !== n) throw new ShapeError(`a has ${a.size} entries but x has ${n} points`);
  if (b.size !== m) throw new ShapeError(`b has ${b.size} entries but y has ${m} points`);
  checkMarginal(a.data, "a");
  checkMarginal(b.data, "b");
  const o: Sinkhorn2Options = { method: "log", ...opts, objective: "entropic" };
  const metric = opts.metric ?? "sqeuclidean";
  const ab = sinkhorn2(a, b, dist(xt, yt, metric), reg, o);
  const aa = sinkhorn2(a, a, dist(xt, xt, metric), reg, o);
  const bb = sinkhorn2(b, b, dist(yt, yt, metric), reg, o);
  return X.sub(ab, X.mul(0.5, X.add(aa, bb)));
}
