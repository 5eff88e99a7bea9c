// Shape and layout ops. All are linear, so each VJP is the transposed op.
import { bind, type Primitive } from "../autodiff/trace.js";
import { ShapeError, ValueError } from "../errors.js";
import * as K from "../kernel-names.js";
import { broadcastShapes, fmtShape, normalizeAxis, shapesEqual, sizeOf } from "../shape.js";
import { asTensor, Tensor, type TensorLike } from "../tensor.js";
import { definePrimitive } from "./primitive.js";
import { sumTo } from "./reduce.js";

const P: Record<"reshape" | "transpose" | "broadcastTo" | "slice" | "sliceAdjoint" | "pad" | "concat", Primitive> = {
  reshape: definePrimitive("Reshape", {
    // A view: same storage, new shape (storage is contiguous row-major on every backend).
    impl: ([x], a) => new Tensor(a.shape as number[], x!._storage, x!._backend),
    jvp: (_p, [t], _o, a) => bind(P.reshape, [t!], a),
    vjp: (g, [x]) => [bind(P.reshape, [g], { shape: x!.shape })],
  }),
  transpose: definePrimitive(K.Transpose, {
    jvp: (_p, [t], _o, a) => bind(P.transpose, [t!], a),
    vjp: (g, _p, _o, a) => [bind(P.transpose, [g], { perm: inversePerm(a.perm as number[]) })],
  }),
  broadcastTo: definePrimitive(K.BroadcastTo, {
    jvp: (_p, [t], _o, a) => bind(P.broadcastTo, [t!], a),
    vjp: (g, [x]) => [sumTo(g, x!.shape)],
  }),
  slice: definePrimitive(K.Slice, {
    jvp: (_p, [t], _o, a) => bind(P.slice, [t!], a),
    vjp: (g, [x], _o, a) => [bind(P.sliceAdjoint, [g], { inShape: x!.shape, begin: a.begin, step: a.step })],
  }),
  sliceAdjoint: definePrimitive(K.SliceAdjoint, {
    jvp: (_p, [t], _o, a) => bind(P.sliceAdjoint, [t!], a),
    vjp: (g, [x], _o, a) => [bind(P.slice, [g], { begin: a.begin, size: x!.shape, step: a.step })],
  }),
  pad: definePrimitive(K.Pad, {
    jvp: (_p, [t], _o, a) => bind(P.pad, [t!], { ...a, value: 0 }),
    vjp: (g, [x], _o, a) => [
      bind(P.slice, [g], {
        begin: (a.pads as [number, number][]).map((p) => p[0]),
        size: x!.shape,
        step: x!.shape.map(() => 1),
      }),
    ],
  }),
  concat: definePrimitive(K.Concat, {
    jvp: (primals, tangents, _o, a) =>
      bind(
        P.concat,
        tangents.map((t, i) => t ?? bind(P.broadcastTo, [asTensor(0)], { shape: primals[i]!.shape })),
        a,
      ),
    vjp: (g, primals, _o, a, needs) => {
      const axis = a.axis as number;
      let off = 0;
      return primals.map((p, i) => {
        const begin = g.shape.map((_, d) => (d === axis ? off : 0));
        off += p.shape[axis]!;
        if (!needs[i]) return null;
        return bind(P.slice, [g], { begin, size: p.shape, step: g.shape.map(() => 1) });
      });
    },
  }),
};

function inversePerm(perm: number[]): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => {
    inv[p] = i;
  });
  return inv;
}

/** Same values, new shape; one dimension may be -1 (inferred). */
export function reshape(x: TensorLike, shape: readonly number[]): Tensor {
  const t = asTensor(x);
  const s = [...shape];
  const unknown = s.indexOf(-1);
  if (unknown >= 0) {
    const known = sizeOf(s.filter((d) => d !== -1));
    if (s.lastIndexOf(-1) !== unknown || known === 0 || t.size % known !== 0) {
      throw new ShapeError(`reshape: cannot infer -1 in ${fmtShape(shape)} for ${t.size} values`);
    }
    s[unknown] = t.size / known;
  }
  if (s.some((d) => !Number.isInteger(d) || d < 0) || sizeOf(s) !== t.size) {
    throw new ShapeError(`reshape: cannot reshape ${fmtShape(t.shape)} (${t.size} values) to ${fmtShape(shape)}`);
  }
  if (shapesEqual(s, t.shape)) return t;
  return bind(P.reshape, [t], { shape: s });
}

export const flatten = (x: TensorLike): Tensor => reshape(x, [-1]);

/** Inserts a length-1 axis at `axis`. */
export function expandDims(x: TensorLike, axis: number): Tensor {
  const t = asTensor(x);
  const ax = normalizeAxis(axis, t.rank + 1, "expandDims");
  const s = [...t.shape];
  s.splice(ax, 0, 1);
  return reshape(t, s);
}

/** Removes length-1 axes (all of them, or the given ones). */
export function squeeze(x: TensorLike, axis?: number | number[]): Tensor {
  const t = asTensor(x);
  const axes =
    axis === undefined
      ? t.shape.flatMap((d, i) => (d === 1 ? [i] : []))
      : (typeof axis === "number" ? [axis] : axis).map((a) => normalizeAxis(a, t.rank, "squeeze"));
  for (const a of axes) {
    if (t.shape[a] !== 1) throw new ShapeError(`squeeze: axis ${a} of shape ${fmtShape(t.shape)} is not 1`);
  }
  return reshape(
    t,
    t.shape.filter((_, i) => !axes.includes(i)),
  );
}

/** Permutes axes (default: reverses them, like NumPy's .T). */
export function transpose(x: TensorLike, perm?: readonly number[]): Tensor {
  const t = asTensor(x);
  const p = perm ? perm.map((a) => normalizeAxis(a, t.rank, "transpose")) : t.shape.map((_, i) => t.rank - 1 - i);
  if (p.length !== t.rank || new Set(p).size !== p.length) {
    throw new ShapeError(`transpose: perm ${JSON.stringify(perm)} is not a permutation of ${t.rank} axes`);
  }
  if (p.every((a, i) => a === i)) return t;
  return bind(P.transpose, [t], { perm: p });
}

/** Swaps the last two axes (matrix transpose of a batch). */
export function mT(x: TensorLike): Tensor {
  const t = asTensor(x);
  if (t.rank < 2) throw new ShapeError(`mT: need rank ≥ 2, got shape ${fmtShape(t.shape)}`);
  const p = t.shape.map((_, i) => i);
  p[t.rank - 2] = t.rank - 1;
  p[t.rank - 1] = t.rank - 2;
  return transpose(t, p);
}

export function broadcastTo(x: TensorLike, shape: readonly number[]): Tensor {
  const t = asTensor(x);
  const s = broadcastShapes("broadcastTo", t.shape, shape);
  if (!shapesEqual(s, shape)) {
    throw new ShapeError(`broadcastTo: cannot broadcast ${fmtShape(t.shape)} to ${fmtShape(shape)}`);
  }
  if (shapesEqual(t.shape, shape)) return t;
  return bind(P.broadcastTo, [t], { shape: [...shape] });
}

/** One axis of a slice: [start, end) with optional positive step; negative start/end count from the end. */
export type SliceRange = readonly [start?: number, end?: number, step?: number] | null;

/**
 * Strided window (NumPy basic slicing, rank kept). `ranges` is a list over leading axes or an object
 * keyed by axis: `slice(x, [[1, 3], null, [0, undefined, 2]])`, `slice(x, { 1: [0, 2] })`.
 */
export function slice(x: TensorLike, ranges: readonly SliceRange[] | Record<number, SliceRange>): Tensor {
  const t = asTensor(x);
  const begin: number[] = [];
  const size: number[] = [];
  const step: number[] = [];
  const list: SliceRange[] = Array.isArray(ranges) ? [...ranges] : [];
  if (!Array.isArray(ranges)) {
    for (const [k, v] of Object.entries(ranges)) list[normalizeAxis(Number(k), t.rank, "slice")] = v;
  }
  if (list.length > t.rank) throw new ShapeError(`slice: ${list.length} ranges for a tensor of rank ${t.rank}`);
  for (let d = 0; d < t.rank; d++) {
    const n = t.shape[d]!;
    const r = list[d] ?? null;
    const st = r?.[2] ?? 1;
    if (!Number.isInteger(st) || st <= 0) throw new ValueError(`slice: step must be a positive integer, got ${st}`);
    const clampIdx = (v: number | undefined, dflt: number) =>
      v === undefined ? dflt : Math.min(Math.max(v < 0 ? v + n : v, 0), n);
    const b = clampIdx(r?.[0], 0);
    const e = clampIdx(r?.[1], n);
    begin.push(b);
    step.push(st);
    size.push(Math.max(0, Math.ceil((e - b) / st)));
  }
  if (shapesEqual(size, t.shape)) return t;
  return bind(P.slice, [t], { begin, size, step });
}

/** Pads with a constant: `pads[d] = [before, after]`. */
export function pad(x: TensorLike, pads: readonly (readonly [number, number])[], value = 0): Tensor {
  const t = asTensor(x);
  if (pads.length !== t.rank || pads.some((p) => p.some((v) => !Number.isInteger(v) || v < 0))) {
    throw new ShapeError(`pad: need ${t.rank} pairs of non-negative integers, got ${JSON.stringify(pads)}`);
  }
  return bind(P.pad, [t], { pads: pads.map((p) => [p[0], p[1]]), value });
}

/** Joins tensors along an existing axis. */
export function concat(xs: readonly TensorLike[], axis = 0): Tensor {
  if (xs.length === 0) throw new ValueError("concat: need at least one tensor");
  const ts = xs.map((x, i) => asTensor(x, `xs[${i}]`));
  const first = ts[0]!;
  const ax = normalizeAxis(axis, first.rank, "concat");
  ts.forEach((t, i) => {
    if (t.rank !== first.rank || t.shape.some((d, k) => k !== ax && d !== first.shape[k])) {
      throw new ShapeError(
        `concat: xs[${i}] has shape ${fmtShape(t.shape)}, incompatible with ${fmtShape(first.shape)} along axis ${ax}`,
      );
    }
  });
  if (ts.length === 1) return first;
  return bind(P.concat, ts, { axis: ax });
}

/** Joins tensors of equal shape along a new axis. */
export function stack(xs: readonly TensorLike[], axis = 0): Tensor {
  if (xs.length === 0) throw new ValueError("stack: need at least one tensor");
  const ts = xs.map((x, i) => asTensor(x, `xs[${i}]`));
  ts.forEach((t, i) => {
    if (!shapesEqual(t.shape, ts[0]!.shape)) {
      throw new ShapeError(`stack: xs[${i}] has shape ${fmtShape(t.shape)}, expected ${fmtShape(ts[0]!.shape)}`);
    }
  });
  const ax = normalizeAxis(axis, ts[0]!.rank + 1, "stack");
  return concat(
    ts.map((t) => expandDims(t, ax)),
    ax,
  );
}

/** Alias of `transpose(x, perm)` (PyTorch's name). */
export const permute = (x: TensorLike, perm: readonly number[]): Tensor => transpose(x, perm);
