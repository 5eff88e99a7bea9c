// Gather/scatter, cumulative sums and sorting. Indices are float64 tensors holding integers;
// they are validated here (once, for every backend) and are never differentiated.
import { bind, type Primitive } from "../autodiff/trace.js";
import { DTypeError, ShapeError, ValueError } from "../errors.js";
import * as K from "../kernel-names.js";
import { fmtShape, normalizeAxis } from "../shape.js";
import { asTensor, concrete, fromF64, type Tensor, type TensorLike } from "../tensor.js";
import { add } from "./binary.js";
import { definePrimitive } from "./primitive.js";
import { slice } from "./shape-ops.js";

const P: Record<"take" | "takeAdjoint" | "takeAlongAxis" | "takeAlongAxisAdjoint" | "cumsum" | "argsort", Primitive> = {
  take: definePrimitive(K.Take, {
    jvp: ([, i], [t], _o, a) => bind(P.take, [t!, i!], a),
    vjp: (g, [x, i], _o, a) => [bind(P.takeAdjoint, [g, i!], { axis: a.axis, dim: x!.shape[a.axis as number] }), null],
  }),
  takeAdjoint: definePrimitive(K.TakeAdjoint, {
    jvp: ([, i], [t], _o, a) => bind(P.takeAdjoint, [t!, i!], a),
    vjp: (g, [, i], _o, a) => [bind(P.take, [g, i!], { axis: a.axis }), null],
  }),
  takeAlongAxis: definePrimitive(K.TakeAlongAxis, {
    jvp: ([, i], [t], _o, a) => bind(P.takeAlongAxis, [t!, i!], a),
    vjp: (g, [x, i], _o, a) => [
      bind(P.takeAlongAxisAdjoint, [g, i!], { axis: a.axis, dim: x!.shape[a.axis as number] }),
      null,
    ],
  }),
  takeAlongAxisAdjoint: definePrimitive(K.TakeAlongAxisAdjoint, {
    jvp: ([, i], [t], _o, a) => bind(P.takeAlongAxisAdjoint, [t!, i!], a),
    vjp: (g, [, i], _o, a) => [bind(P.takeAlongAxis, [g, i!], { axis: a.axis }), null],
  }),
  cumsum: definePrimitive(K.Cumsum, {
    jvp: (_p, [t], _o, a) => bind(P.cumsum, [t!], a),
    vjp: (g, _p, _o, a) => [bind(P.cumsum, [g], { axis: a.axis, reverse: !a.reverse })],
  }),
  argsort: definePrimitive(K.Argsort),
};

/** Checks integer indices in [-n, n) and wraps negatives; returns a concrete index tensor. */
function checkIndices(indices: TensorLike, n: number, op: string): Tensor {
  const t = concrete(asTensor(indices, "indices"));
  const d = t.data;
  let wrapped: Float64Array | undefined;
  for (let k = 0; k < d.length; k++) {
    const v = d[k]!;
    if (!Number.isInteger(v)) throw new DTypeError(`${op}: indices must be integers, found ${v} at flat index ${k}`);
    if (v < -n || v >= n) throw new ValueError(`${op}: index ${v} is out of bounds for an axis of length ${n}`);
    if (v < 0) {
      wrapped ??= Float64Array.from(d);
      wrapped[k] = v + n;
    }
  }
  return wrapped ? fromF64(wrapped, t.shape) : t;
}

/** np.take: picks entries of `x` along `axis` (default 0) at `indices` (any shape). */
export function take(x: TensorLike, indices: TensorLike, axis = 0): Tensor {
  const t = asTensor(x);
  const ax = normalizeAxis(axis, t.rank, "take");
  return bind(P.take, [t, checkIndices(indices, t.shape[ax]!, "take")], { axis: ax });
}

/**
 * Adds `updates` into `x` at `indices` along `axis` (repeated indices accumulate):
 * updates has shape x[:axis] + indices.shape + x[axis+1:].
 */
export function scatterAdd(x: TensorLike, indices: TensorLike, updates: TensorLike, axis = 0): Tensor {
  const t = asTensor(x);
  const u = asTensor(updates, "updates");
  const ax = normalizeAxis(axis, t.rank, "scatterAdd");
  const idx = checkIndices(indices, t.shape[ax]!, "scatterAdd");
  const expected = [...t.shape.slice(0, ax), ...idx.shape, ...t.shape.slice(ax + 1)];
  if (expected.length !== u.rank || expected.some((d, i) => d !== u.shape[i])) {
    throw new ShapeError(`scatterAdd: updates has shape ${fmtShape(u.shape)}, expected ${fmtShape(expected)}`);
  }
  return add(t, bind(P.takeAdjoint, [u, idx], { axis: ax, dim: t.shape[ax]! }));
}

function alongShapeCheck(t: Tensor, idx: Tensor, ax: number, op: string): void {
  if (idx.rank !== t.rank || idx.shape.some((d, i) => i !== ax && d !== t.shape[i])) {
    throw new ShapeError(
      `${op}: indices of shape ${fmtShape(idx.shape)} must match x ${fmtShape(t.shape)} except along axis ${ax}`,
    );
  }
}

/** np.take_along_axis: out[..., j, ...] = x[..., indices[..., j, ...], ...]. */
export function takeAlongAxis(x: TensorLike, indices: TensorLike, axis: number): Tensor {
  const t = asTensor(x);
  const ax = normalizeAxis(axis, t.rank, "takeAlongAxis");
  const idx = checkIndices(indices, t.shape[ax]!, "takeAlongAxis");
  alongShapeCheck(t, idx, ax, "takeAlongAxis");
  return bind(P.takeAlongAxis, [t, idx], { axis: ax });
}

/** Adds `updates` into x at positions given along `axis` (the transpose of takeAlongAxis). */
export function putAlongAxisAdd(x: TensorLike, indices: TensorLike, updates: TensorLike, axis: number): Tensor {
  const t = asTensor(x);
  const ax = normalizeAxis(axis, t.rank, "putAlongAxisAdd");
  const idx = checkIndices(indices, t.shape[ax]!, "putAlongAxisAdd");
  alongShapeCheck(t, idx, ax, "putAlongAxisAdd");
  const u = asTensor(updates, "updates");
  if (u.rank !== idx.rank || u.shape.some((d, i) => d !== idx.shape[i])) {
    throw new ShapeError(`putAlongAxisAdd: updates ${fmtShape(u.shape)} must match indices ${fmtShape(idx.shape)}`);
  }
  return add(t, bind(P.takeAlongAxisAdjoint, [u, idx], { axis: ax, dim: t.shape[ax]! }));
}

/** Cumulative sum along `axis` (reverse = from the end). */
export function cumsum(x: TensorLike, axis = -1, reverse = false): Tensor {
  const t = asTensor(x);
  if (t.rank === 0) return t;
  return bind(P.cumsum, [t], { axis: normalizeAxis(axis, t.rank, "cumsum"), reverse });
}

/** Indices that sort `x` along `axis` (stable; NaN last). */
export function argsort(x: TensorLike, axis = -1, descending = false): Tensor {
  const t = asTensor(x);
  if (t.rank === 0) throw new ShapeError("argsort: cannot sort a scalar");
  return bind(P.argsort, [t], { axis: normalizeAxis(axis, t.rank, "argsort"), descending });
}

/** Sorted values along `axis`; differentiable (the permutation is held fixed). */
export function sort(x: TensorLike, axis = -1, descending = false): Tensor {
  const t = asTensor(x);
  return takeAlongAxis(t, argsort(t, axis, descending), axis);
}

/** The k largest (or smallest) entries along the last axis, sorted, with their indices. */
export function topk(x: TensorLike, k: number, largest = true): { values: Tensor; indices: Tensor } {
  const t = asTensor(x);
  if (t.rank === 0) throw new ShapeError("topk: cannot take top-k of a scalar");
  const n = t.shape[t.rank - 1]!;
  if (!Number.isInteger(k) || k < 0 || k > n) throw new ValueError(`topk: k must be an integer in [0, ${n}], got ${k}`);
  const indices = slice(argsort(t, -1, largest), { [t.rank - 1]: [0, k] });
  return { values: takeAlongAxis(t, indices, -1), indices };
}

/** Alias of `take` (the name used by JAX/PyTorch users for gathering along an axis). */
export const gather = take;
