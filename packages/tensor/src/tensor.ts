// The Tensor: an n-d float64 array (row-major, contiguous) held by a backend.
// A Tensor with _level > 0 is an autodiff tracer: it wraps a primal of a lower level and carries
// either a tangent (forward mode) or a tape node (reverse mode). See autodiff/trace.ts.
import { getBackend, type Storage } from "./backend.js";
import { DTypeError, ShapeError } from "./errors.js";
import { fmtShape, type Shape, sizeOf, stridesOf } from "./shape.js";

/** @internal Minimal view of a trace, to avoid an import cycle with autodiff/trace.ts. */
export interface TraceRef {
  readonly level: number;
  readonly kind: "jvp" | "vjp";
  active: boolean;
}

/** @internal A reverse-mode tape node. */
export interface VjpNode {
  readonly id: number;
  readonly parents: readonly (VjpNode | null)[];
  readonly pullback: ((g: Tensor) => readonly (Tensor | null)[]) | null;
}

export type NestedArray = number | readonly NestedArray[];
export type TypedArray = Float64Array | Float32Array | Int32Array | Uint32Array | Int16Array | Uint8Array | Int8Array;
/** Anything an op accepts where a tensor is expected. */
export type TensorLike = Tensor | number | NestedArray | TypedArray;

export class Tensor {
  readonly shape: readonly number[];
  readonly size: number;
  /** @internal 0 for a concrete tensor, the trace level for a tracer. */
  readonly _level: number;
  /** @internal Backend storage (concrete tensors only). */
  readonly _storage: Storage | undefined;
  /** @internal Name of the backend holding _storage. */
  readonly _backend: string | undefined;
  /** @internal The wrapped value of a tracer. */
  readonly _primal: Tensor | undefined;
  /** @internal The trace of a tracer. */
  readonly _trace: TraceRef | undefined;
  /** @internal Forward-mode tangent (null = symbolic zero). */
  readonly _tangent: Tensor | null;
  /** @internal Reverse-mode tape node. */
  readonly _node: VjpNode | undefined;

  /** @internal Use `tensor(...)` and the ops; this constructor is for the library. */
  constructor(
    shape: readonly number[],
    storage: Storage | undefined,
    backend: string | undefined,
    primal?: Tensor,
    trace?: TraceRef,
    tangent?: Tensor | null,
    node?: VjpNode,
  ) {
    this.shape = shape;
    this.size = sizeOf(shape);
    this._storage = storage;
    this._backend = backend;
    this._primal = primal;
    this._trace = trace;
    this._level = trace ? trace.level : 0;
    this._tangent = tangent ?? null;
    this._node = node;
  }

  get rank(): number {
    return this.shape.length;
  }

  get strides(): number[] {
    return stridesOf(this.shape);
  }

  /** The values, row-major, as float64. Treat as read-only: on cpu this is the tensor's own buffer. */
  get data(): Float64Array {
    const c = concrete(this);
    return getBackend(c._backend).read(c._storage, c.size);
  }

  /** The values as nested arrays (a number for a scalar). */
  toArray(): NestedArray {
    const d = this.data;
    const shape = this.shape;
    if (shape.length === 0) return d[0]!;
    const build = (dim: number, off: number): NestedArray[] => {
      const n = shape[dim]!;
      const stride = sizeOf(shape.slice(dim + 1));
      const out: NestedArray[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = dim === shape.length - 1 ? d[off + i]! : build(dim + 1, off + i * stride);
      return out;
    };
    return build(0, 0);
  }

  /** The single value of a size-1 tensor. */
  item(): number {
    if (this.size !== 1)
      throw new ShapeError(`item(): tensor of shape ${fmtShape(this.shape)} has ${this.size} values`);
    return this.data[0]!;
  }

  toString(): string {
    return `Tensor(${fmtShape(this.shape)}) ${JSON.stringify(this.toArray())}`;
  }
}

/** The concrete (level-0) value under any number of tracer wrappers. */
export function concrete(t: Tensor): Tensor {
  let c = t;
  while (c._primal !== undefined) c = c._primal;
  return c;
}

/** @internal Wraps float64 values (not copied) as a tensor on the given backend (default: active). */
export function fromF64(values: Float64Array, shape: Shape, backendName?: string): Tensor {
  const b = getBackend(backendName);
  if (values.length !== sizeOf(shape)) {
    throw new ShapeError(`${values.length} values do not fill shape ${fmtShape(shape)}`);
  }
  return new Tensor([...shape], b.write(values), b.name);
}

function inferShape(data: NestedArray, argName: string): number[] {
  const shape: number[] = [];
  let cur: NestedArray = data;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    if (cur.length === 0) break;
    cur = cur[0] as NestedArray;
  }
  if (!Array.isArray(data) && typeof data !== "number") {
    throw new DTypeError(`${argName}: expected a number, nested array, typed array or Tensor, got ${typeof data}`);
  }
  return shape;
}

function flattenNested(data: NestedArray, shape: number[], argName: string): Float64Array {
  const out = new Float64Array(sizeOf(shape));
  let k = 0;
  const walk = (x: NestedArray, dim: number, path: string): void => {
    if (dim === shape.length) {
      if (typeof x !== "number") {
        throw new DTypeError(`${argName}${path}: expected a number, got ${Array.isArray(x) ? "an array" : typeof x}`);
      }
      out[k++] = x;
      return;
    }
    if (!Array.isArray(x) || x.length !== shape[dim]) {
      throw new ShapeError(
        `${argName}${path}: ragged nested array (expected length ${shape[dim]} at depth ${dim}, got ${Array.isArray(x) ? x.length : typeof x})`,
      );
    }
    for (let i = 0; i < x.length; i++) walk(x[i] as NestedArray, dim + 1, `${path}[${i}]`);
  };
  walk(data, 0, "");
  return out;
}

/**
 * Creates a tensor from a number, nested arrays, a typed array (with an optional shape) or a tensor.
 * Values are copied (a later change to `data` does not change the tensor).
 */
export function tensor(data: TensorLike, shape?: readonly number[], argName = "data"): Tensor {
  if (data instanceof Tensor) {
    if (shape && sizeOf(shape) !== data.size) {
      throw new ShapeError(`${argName}: cannot view shape ${fmtShape(data.shape)} as ${fmtShape(shape)}`);
    }
    return shape ? fromF64(Float64Array.from(data.data), shape) : data;
  }
  if (ArrayBuffer.isView(data)) {
    const values = Float64Array.from(data as ArrayLike<number>);
    return fromF64(values, shape ?? [values.length]);
  }
  if (shape) {
    const flatShape = inferShape(data, argName);
    const values = flattenNested(data, flatShape, argName);
    if (values.length !== sizeOf(shape)) {
      throw new ShapeError(`${argName}: ${values.length} values do not fill shape ${fmtShape(shape)}`);
    }
    return fromF64(values, shape);
  }
  const s = inferShape(data, argName);
  return fromF64(flattenNested(data, s, argName), s);
}

/** Like `tensor` but returns tensors (and tracers) unchanged and does not copy. Used by every op. */
export function asTensor(x: TensorLike, argName = "x"): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x === "number") return fromF64(Float64Array.of(x), []);
  return tensor(x, undefined, argName);
}

/**
 * Wraps a Float64Array as a tensor WITHOUT copying: the tensor takes ownership, so the caller must
 * not change `values` afterwards. For hot loops that build a fresh array per iteration.
 */
export function fromData(values: Float64Array, shape: readonly number[]): Tensor {
  if (!(values instanceof Float64Array)) throw new DTypeError("fromData: values must be a Float64Array");
  return fromF64(values, shape);
}

export function scalar(v: number): Tensor {
  return fromF64(Float64Array.of(v), []);
}
