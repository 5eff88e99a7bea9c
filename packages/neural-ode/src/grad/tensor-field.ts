// Bridges between the Tensor vector field f(t, y, params) of the differentiable path and the Float64Array fast path.
import * as X from "@x/tensor";
import { ShapeError, ValueError } from "@x/tensor";
import type { OdeFunction } from "../types.js";

/** A differentiable vector field: t is a number, y a Tensor of the state's shape, params any pytree of Tensors. */
export type TensorField<P> = (t: number, y: X.Tensor, params: P) => X.Tensor;

/** A constant copy of a (possibly traced) tensor: its current values, with no link to any transform. */
export function detach(x: X.Tensor): X.Tensor {
  return X.fromData(Float64Array.from(x.data), x.shape);
}

/** Float64Array view of f with fixed (detached) params, for the fast solvers. */
export function fastField<P>(f: TensorField<P>, shape: readonly number[], params: P): OdeFunction<unknown> {
  const n = shape.reduce((a, b) => a * b, 1);
  return (t, y) => {
    const out = f(t, X.fromData(Float64Array.from(y), shape), params);
    if (out.size !== n) {
      throw new ShapeError(`f returned shape [${out.shape.join(", ")}], expected [${shape.join(", ")}]`);
    }
    return out.data;
  };
}

/** Validate the time grid of odeint-style solvers: at least two strictly monotone finite times. */
export function checkTimes(ts: ArrayLike<number>, fn: string): Float64Array {
  const t = Float64Array.from(ts);
  if (t.length < 2) throw new ValueError(`${fn}: ts must hold at least two times, got ${t.length}`);
  const dir = Math.sign(t[1]! - t[0]!);
  for (let i = 0; i < t.length; i++) {
    if (!Number.isFinite(t[i]!)) throw new ValueError(`${fn}: ts[${i}] must be finite, got ${t[i]}`);
    if (i > 0 && (dir === 0 || Math.sign(t[i]! - t[i - 1]!) !== dir)) {
      throw new ValueError(`${fn}: ts must be strictly monotone (ts[${i - 1}] = ${t[i - 1]}, ts[${i}] = ${t[i]})`);
    }
  }
  return t;
}

/** Throws a ValueError naming `name` if any leaf of the pytree holds a non-finite value. */
export function assertFiniteTree(tree: unknown, name: string): void {
  const { leaves } = X.treeFlatten(tree, name);
  leaves.forEach((l, i) => X.assertFinite(l.data, leaves.length > 1 ? `${name} leaf ${i}` : name));
}
