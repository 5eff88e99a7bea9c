// Reductions. sum/max/min are primitives; mean, prod, logsumexp, norms are built from them.
import { bind, type Primitive } from "../autodiff/trace.js";
import { ShapeError, ValueError } from "../errors.js";
import * as K from "../kernel-names.js";
import { fmtShape, normalizeAxes, normalizeAxis, type Shape, shapesEqual } from "../shape.js";
import { asTensor, type Tensor, type TensorLike } from "../tensor.js";
import { add, div, equal, mul, pow, sub, where } from "./binary.js";
import { definePrimitive } from "./primitive.js";
import { broadcastTo, reshape, slice } from "./shape-ops.js";
import { stopGradient } from "./stop-gradient.js";
import { abs, exp, log, sqrt } from "./unary.js";

export interface ReduceOptions {
  /** Axis or axes to reduce (default: all). Negative axes count from the end. */
  axis?: number | number[];
  /** Keep reduced axes as length-1 dimensions. */
  keepDims?: boolean;
}

/** Shape of x with the reduced axes kept as 1 (so a reduced result broadcasts back against x). */
function keptShape(shape: Shape, axes: number[]): number[] {
  return shape.map((s, i) => (axes.includes(i) ? 1 : s));
}

const expandBack = (g: Tensor, x: Tensor, axes: number[]) => broadcastTo(reshape(g, keptShape(x.shape, axes)), x.shape);

// max/min: the derivative goes to the arg-extremal entries, split evenly between ties.
function extremumWeights(x: Tensor, out: Tensor, axes: number[]): Tensor {
  const mask = equal(x, reshape(out, keptShape(x.shape, axes)));
  return div(mask, bind(P.sum, [mask], { axes, keepDims: true }));
}

// softmax(x) along the reduced axes, from the logsumexp output (kept dims restored for broadcasting).
function softmaxFromLse(x: Tensor, out: Tensor, axes: number[]): Tensor {
  return exp(sub(x, reshape(out, keptShape(x.shape, axes))));
}

const P: Record<"sum" | "max" | "min" | "argMax" | "argMin" | "logSumExp", Primitive> = {
  sum: definePrimitive(K.Sum, {
    jvp: (_p, [t], _o, attrs) => bind(P.sum, [t!], attrs),
    vjp: (g, [x], _o, attrs) => [expandBack(g, x!, attrs.axes as number[])],
  }),
  max: definePrimitive(K.Max, {
    jvp: ([x], [t], out, a) => bind(P.sum, [mul(t!, extremumWeights(x!, out, a.axes as number[]))], a),
    vjp: (g, [x], out, a) => [mul(expandBack(g, x!, a.axes as number[]), extremumWeights(x!, out, a.axes as number[]))],
  }),
  min: definePrimitive(K.Min, {
    jvp: ([x], [t], out, a) => bind(P.sum, [mul(t!, extremumWeights(x!, out, a.axes as number[]))], a),
    vjp: (g, [x], out, a) => [mul(expandBack(g, x!, a.axes as number[]), extremumWeights(x!, out, a.axes as number[]))],
  }),
  argMax: definePrimitive(K.ArgMax),
  argMin: definePrimitive(K.ArgMin),
  // Fused, max-shifted log Σ exp: d lse = Σ softmax(x)·dx.
  logSumExp: definePrimitive(K.LogSumExp, {
    jvp: ([x], [t], out, a) =>
      bind(P.sum, [mul(t!, softmaxFromLse(x!, out, a.axes as number[]))], { axes: a.axes, keepDims: a.keepDims }),
    vjp: (g, [x], out, a) => [mul(expandBack(g, x!, a.axes as number[]), softmaxFromLse(x!, out, a.axes as number[]))],
  }),
};

function reduceWith(p: Primitive, name: string, x: TensorLike, opts: ReduceOptions): Tensor {
  const t = asTensor(x);
  const axes = normalizeAxes(opts.axis, t.rank, name);
  for (const a of axes) {
    if (t.shape[a] === 0 && p !== P.sum) {
      throw new ShapeError(`${name}: cannot reduce an empty axis ${a} of shape ${fmtShape(t.shape)}`);
    }
  }
  return bind(p, [t], { axes, keepDims: opts.keepDims ?? false });
}

export const sum = (x: TensorLike, opts: ReduceOptions = {}): Tensor => reduceWith(P.sum, "sum", x, opts);
/** Maximum along axes; NaN propagates. */
export const max = (x: TensorLike, opts: ReduceOptions = {}): Tensor => reduceWith(P.max, "max", x, opts);
/** Minimum along axes; NaN propagates. */
export const min = (x: TensorLike, opts: ReduceOptions = {}): Tensor => reduceWith(P.min, "min", x, opts);

export function mean(x: TensorLike, opts: ReduceOptions = {}): Tensor {
  const t = asTensor(x);
  const axes = normalizeAxes(opts.axis, t.rank, "mean");
  const count = axes.reduce((c, a) => c * t.shape[a]!, 1);
  if (count === 0) throw new ShapeError(`mean: cannot average over an empty axis of shape ${fmtShape(t.shape)}`);
  return div(sum(t, { axis: axes, keepDims: opts.keepDims ?? false }), count);
}

function argReduce(p: Primitive, name: string, x: TensorLike, axis: number | undefined, keepDims: boolean) {
  let t = asTensor(x);
  if (t.size === 0) throw new ShapeError(`${name}: empty tensor of shape ${fmtShape(t.shape)}`);
  if (axis === undefined) t = reshape(t, [t.size]);
  const ax = normalizeAxis(axis ?? 0, t.rank, name);
  return bind(p, [t], { axis: ax, keepDims });
}

/** Index of the maximum along `axis` (flattened when omitted); first NaN wins. */
export const argmax = (x: TensorLike, axis?: number, keepDims = false): Tensor =>
  argReduce(P.argMax, "argmax", x, axis, keepDims);
/** Index of the minimum along `axis` (flattened when omitted); first NaN wins. */
export const argmin = (x: TensorLike, axis?: number, keepDims = false): Tensor =>
  argReduce(P.argMin, "argmin", x, axis, keepDims);

/**
 * Product along axes, as a chain of multiplications of slices: exact with zeros and
 * differentiable to any order (no division by x).
 */
export function prod(x: TensorLike, opts: ReduceOptions = {}): Tensor {
  let t = asTensor(x);
  const axes = normalizeAxes(opts.axis, t.rank, "prod");
  for (const a of axes) {
    const n = t.shape[a]!;
    const pick = (i: number) => slice(t, { [a]: [i, i + 1] });
    let acc: Tensor = n === 0 ? broadcastTo(asTensor(1), keptShape(t.shape, [a])) : pick(0);
    for (let i = 1; i < n; i++) acc = mul(acc, pick(i));
    t = acc;
  }
  return opts.keepDims
    ? t
    : reshape(
        t,
        t.shape.filter((_, i) => !axes.includes(i)),
      );
}

/** log Σ exp(x) along axes, shifted by the (gradient-stopped) max so it never overflows. */
export function logsumexp(x: TensorLike, opts: ReduceOptions = {}): Tensor {
  const t = asTensor(x);
  const axes = normalizeAxes(opts.axis, t.rank, "logsumexp");
  for (const a of axes) {
    if (t.shape[a] === 0)
      throw new ShapeError(`logsumexp: cannot reduce an empty axis ${a} of shape ${fmtShape(t.shape)}`);
  }
  return bind(P.logSumExp, [t], { axes, keepDims: opts.keepDims ?? false });
}

/**
 * The composite max/sub/exp/sum/log form of {@link logsumexp} (what the fused LogSumExp kernel
 * replaced); kept as the numerical reference for tests.
 */
export function logsumexpComposite(x: TensorLike, opts: ReduceOptions = {}): Tensor {
  const t = asTensor(x);
  const axes = normalizeAxes(opts.axis, t.rank, "logsumexp");
  const m = stopGradientMax(t, axes);
  const s = sum(exp(sub(t, m)), { axis: axes, keepDims: true });
  const out = add(log(s), m);
  return opts.keepDims
    ? out
    : reshape(
        out,
        t.shape.filter((_, i) => !axes.includes(i)),
      );
}

// The shift is a constant for differentiation; ±Inf maxima are replaced by 0 so that an all −Inf
// row gives −Inf (not NaN) and a +Inf entry gives +Inf.
function stopGradientMax(t: Tensor, axes: number[]): Tensor {
  const m = stopGradient(max(t, { axis: axes, keepDims: true }));
  const finite = equal(sub(m, m), 0);
  return where(finite, m, 0);
}

export interface NormOptions extends ReduceOptions {
  /** 2 (default; Frobenius for matrices over both axes), 1, Infinity, or any p ≥ 1. */
  ord?: number;
}

/** Vector p-norm over the given axes (all by default). */
export function norm(x: TensorLike, opts: NormOptions = {}): Tensor {
  const ord = opts.ord ?? 2;
  const r = { axis: opts.axis, keepDims: opts.keepDims ?? false } as ReduceOptions;
  if (ord === 2) return sqrt(sum(mul(x, x), r));
  if (ord === 1) return sum(abs(x), r);
  if (ord === Number.POSITIVE_INFINITY) return max(abs(x), r);
  if (!(ord >= 1)) throw new ValueError(`norm: ord must be ≥ 1 or Infinity, got ${ord}`);
  return pow(sum(pow(abs(x), ord), r), 1 / ord);
}

/** Sums `g` down to `shape` (the transpose of broadcasting). Used by every broadcasting VJP. */
export function sumTo(g: Tensor, shape: Shape): Tensor {
  if (shapesEqual(g.shape, shape)) return g;
  const lead = g.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.rank; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  }
  const s = axes.length > 0 ? sum(g, { axis: axes, keepDims: true }) : g;
  return reshape(s, shape);
}
