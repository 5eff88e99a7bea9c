// Flattens an objective over a Tensor or pytree to Float64Array in, Float64Array out, counting
// evaluations. Every optimiser works on the flat vector; results are unflattened at the end.
import {
  assertFinite,
  fromData,
  grad,
  type PyTree,
  reshape,
  ShapeError,
  slice,
  Tensor,
  type TensorLike,
  tensor,
  treeFlatten,
  ValueError,
  valueAndGrad,
  vjp,
} from "@x/tensor";
import { allFinite, norm2 } from "./vec.js";

/** f returns a scalar tensor (differentiated with valueAndGrad), or with jac:true a pair [value, gradient]. */
export type Objective = (x: any) => Tensor | number | readonly [Tensor | number, unknown];

export interface ProblemOptions {
  /** f returns [value, gradient] itself (SciPy's jac=True): no autodiff; HVPs by finite differences. */
  jac?: boolean;
}

export interface Counts {
  nfev: number;
  ngev: number;
  nhev: number;
}

export interface Problem {
  n: number;
  x0: Float64Array;
  counts: Counts;
  /** The flat vector back in the structure of x0 (a copy). */
  unflatten(x: Float64Array): PyTree;
  /** The same without copying for a single-tensor x0 (for calls into user functions). */
  view(x: Float64Array): PyTree;
  value(x: Float64Array): number;
  valueGrad(x: Float64Array): { f: number; g: Float64Array };
  /** Hessian-vector product at x (forward-over-reverse, or finite differences with jac:true). */
  hvp(x: Float64Array, v: Float64Array, gx?: Float64Array): Float64Array;
  /** The objective as a function of one flat 1-d tensor (differentiable). */
  flatFn?: (t: Tensor) => Tensor;
}

function leafData(t: Tensor): Float64Array {
  return t.data;
}

/** Concatenates the leaves of a pytree (or a typed array / tensor) into one Float64Array. */
export function flattenValues(tree: unknown, n: number, what: string): Float64Array {
  if (tree instanceof Float64Array) {
    if (tree.length !== n) throw new ShapeError(`${what}: expected ${n} values, got ${tree.length}`);
    return tree;
  }
  const leaves = treeFlatten(tree, what).leaves;
  const out = new Float64Array(n);
  let k = 0;
  for (const l of leaves) {
    if (k + l.size > n) throw new ShapeError(`${what}: has more than the ${n} values of x0`);
    out.set(leafData(l), k);
    k += l.size;
  }
  if (k !== n) throw new ShapeError(`${what}: has ${k} values, x0 has ${n}`);
  return out;
}

function scalarOf(v: unknown, what: string): number {
  if (typeof v === "number") return v;
  if (v instanceof Tensor) {
    if (v.size !== 1) throw new ShapeError(`${what}: f must return a scalar, got shape [${v.shape.join(", ")}]`);
    return v.data[0]!;
  }
  throw new ValueError(`${what}: f must return a number or a scalar Tensor, got ${typeof v}`);
}

export interface FlatView {
  n: number;
  x0: Float64Array;
  /** Leaves of a flat 1-d tensor in the structure of x0 (differentiable: slices and reshapes). */
  splitT(t: Tensor): PyTree;
  unflatten(x: Float64Array): PyTree;
  /** Like unflatten, but a single-tensor x0 shares x's buffer (for calls into f; x is never mutated). */
  view(x: Float64Array): PyTree;
}

/** A Tensor, numeric array or pytree viewed as one flat vector. */
export function flatView(x0In: unknown, fn: string): FlatView {
  // A plain numeric (nested) array or typed array is one tensor, not a pytree of scalars.
  const isNumeric = (a: unknown): boolean => typeof a === "number" || (Array.isArray(a) && a.every(isNumeric));
  if (ArrayBuffer.isView(x0In) || (Array.isArray(x0In) && x0In.length > 0 && isNumeric(x0In))) {
    x0In = tensor(x0In as TensorLike, undefined, `${fn}: x0`);
  }
  const flat = treeFlatten(x0In, "x0");
  const shapes = flat.leaves.map((l) => l.shape);
  const sizes = flat.leaves.map((l) => l.size);
  const n = sizes.reduce((a, b) => a + b, 0);
  if (n === 0) throw new ValueError(`${fn}: x0 has no entries`);
  const x0 = new Float64Array(n);
  let off = 0;
  for (const l of flat.leaves) {
    x0.set(l.data, off);
    off += l.size;
  }
  assertFinite(x0, `${fn}: x0`);
  const single = x0In instanceof Tensor;

  // Tensor leaves of a flat 1-d tensor (differentiable: slices and reshapes).
  const splitT = (t: Tensor): PyTree => {
    if (single) return shapes[0]!.length === 1 ? t : reshape(t, shapes[0]!);
    let o = 0;
    const ls = sizes.map((s, i) => {
      const part = reshape(slice(t, [[o, o + s]]), shapes[i]!);
      o += s;
      return part;
    });
    return flat.unflatten(ls);
  };
  const unflatten = (x: Float64Array): PyTree => {
    let o = 0;
    const ls = sizes.map((s, i) => {
      const part = fromData(x.slice(o, o + s), shapes[i]!);
      o += s;
      return part;
    });
    return flat.unflatten(ls);
  };

  const view = single ? (x: Float64Array): PyTree => fromData(x, shapes[0]!) : unflatten;

  return { n, x0, splitT, unflatten, view };
}

export function makeProblem(f: Objective, x0In: unknown, fn: string, opts: ProblemOptions = {}): Problem {
  if (typeof f !== "function") throw new ValueError(`${fn}: f must be a function`);
  const { n, x0, splitT, unflatten, view } = flatView(x0In, fn);
  const counts: Counts = { nfev: 0, ngev: 0, nhev: 0 };

  if (opts.jac) {
    const call = (x: Float64Array) => {
      const r = f(view(x)) as unknown;
      if (!Array.isArray(r) || r.length !== 2) {
        throw new ValueError(`${fn}: with jac: true, f must return [value, gradient]`);
      }
      return {
        f: scalarOf(r[0], fn),
        g: flattenValues(r[1] instanceof Float64Array ? r[1] : r[1], n, `${fn}: gradient`),
      };
    };
    const valueGrad = (x: Float64Array) => {
      counts.nfev++;
      counts.ngev++;
      const r = call(x);
      return { f: r.f, g: Float64Array.from(r.g) };
    };
    return {
      n,
      x0,
      counts,
      unflatten,
      view,
      value: (x) => {
        counts.nfev++;
        return call(x).f;
      },
      valueGrad,
      hvp: (x, v, gx) => {
        counts.nhev++;
        return fdHvp((y) => call(y).g, x, v, gx);
      },
    };
  }

  const flatFn = (t: Tensor): Tensor => {
    const out = f(splitT(t)) as unknown;
    if (Array.isArray(out)) throw new ValueError(`${fn}: f returned a pair; pass { jac: true } for that form`);
    return out as Tensor;
  };
  const vg = valueAndGrad(flatFn);
  const hvAt = hvpAt(flatFn, n);
  return {
    n,
    x0,
    counts,
    unflatten,
    view,
    flatFn,
    // The optimisers never write into an iterate or a returned gradient, so no defensive copies here.
    value: (x) => {
      counts.nfev++;
      return scalarOf(flatFn(fromData(x, [n])), fn);
    },
    valueGrad: (x) => {
      counts.nfev++;
      counts.ngev++;
      const [v, g] = vg(fromData(x, [n]));
      return { f: scalarOf(v, fn), g: (g as Tensor).data };
    },
    hvp: (x, v) => {
      counts.nhev++;
      return hvAt(x)(v);
    },
  };
}

/**
 * x ↦ (v ↦ ∇²f(x)v), caching the last x: reverse-over-reverse — one vjp of ∇f at x records the gradient's
 * graph, and each HVP is a single backward pass through it (∇²f is symmetric, so the VJP is the HVP).
 * Newton-CG, trust-ncg and Lanczos take many HVPs at one point; a fresh forward-over-reverse `hvp` per
 * product costs a forward pass and two sweeps each time, 2–4× more. Iterates are never mutated, so the
 * cache is keyed on the array's identity.
 */
export function hvpAt(
  flatFn: (t: Tensor) => Tensor,
  n: number,
): (x: Float64Array) => (v: Float64Array) => Float64Array {
  const gradFn = grad(flatFn);
  let lastX: Float64Array | null = null;
  let pullback: ((ct: PyTree) => unknown[]) | null = null;
  return (x) => {
    if (x !== lastX || pullback === null) {
      pullback = vjp(gradFn, fromData(x, [n]))[1];
      lastX = x;
    }
    const pb = pullback;
    return (v) => Float64Array.from((pb(fromData(v, [n]))[0] as Tensor).data);
  };
}

/** Forward-difference HVP (g(x + εv) − g(x))/ε with ε = √eps·(1 + ‖x‖)/‖v‖ (Nocedal & Wright §8.1). */
export function fdHvp(
  grad: (x: Float64Array) => Float64Array,
  x: Float64Array,
  v: Float64Array,
  gx?: Float64Array,
): Float64Array {
  const nv = norm2(v);
  const out = new Float64Array(x.length);
  if (nv === 0) return out;
  const eps = (Math.sqrt(Number.EPSILON) * (1 + norm2(x))) / nv;
  const xp = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) xp[i] = x[i]! + eps * v[i]!;
  const gp = grad(xp);
  const g0 = gx ?? grad(x);
  for (let i = 0; i < x.length; i++) out[i] = (gp[i]! - g0[i]!) / eps;
  return out;
}

export function finitePoint(f: number, g: Float64Array): boolean {
  return Number.isFinite(f) && allFinite(g);
}
