// Small Float64Array helpers shared by the solvers (BLAS-1 on plain arrays, no allocation in loops).
import { fromData, type Tensor } from "@x/tensor";

export function vdot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

export function vnorm(a: ArrayLike<number>): number {
  return Math.sqrt(vdot(a, a));
}

/** A fresh tensor holding a copy of `a` with the given shape. */
export function toTensor(a: ArrayLike<number>, shape: readonly number[]): Tensor {
  return fromData(Float64Array.from(a), shape);
}

/** The values of t as a fresh Float64Array (safe to mutate). */
export function copyData(t: Tensor): Float64Array {
  return Float64Array.from(t.data);
}
