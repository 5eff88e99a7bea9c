// Shared plumbing for the spectral and randomized groups: normalising operators, seeding, BLAS-1 kernels.
import { type Key, type LinearOperator, rng, ShapeError, tensor, ValueError } from "@x/tensor";
import { asOperator, type OperatorLike } from "../krylov/as-operator.js";

/** A LinearOperator, a CsrMatrix or a dense matrix. */
export type OperatorInput = OperatorLike;

/** Normalises A to a LinearOperator; checks squareness when asked. */
export function operatorOf(A: OperatorInput, fn: string, square = true): LinearOperator {
  const op = asOperator(A, `${fn}: A`);
  if (square && op.shape[0] !== op.shape[1]) {
    throw new ShapeError(`${fn}: A must be square, got shape [${op.shape.join(", ")}]`);
  }
  return op;
}

/** Raw matvec on Float64Array. */
export function applyRaw(op: LinearOperator): (x: Float64Array) => Float64Array<ArrayBuffer> {
  const n = op.shape[1];
  return (x) => Float64Array.from(op.matvec(tensor(x, [n])).data);
}

/** Picks the key: explicit key, else seed, else seed 0 (reproducible by default). */
export function keyOf(opts: { key?: Key | undefined; seed?: number | undefined }): Key {
  return opts.key ?? rng(opts.seed ?? 0);
}

export function checkCount(k: number, max: number, name: string, fn: string): void {
  if (!Number.isInteger(k) || k < 1 || k > max) {
    throw new ValueError(`${fn}: ${name} must be an integer in [1, ${max}], got ${k}`);
  }
}

export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

export function norm(a: Float64Array): number {
  return Math.sqrt(dot(a, a));
}

/** Orthogonalises v against the first `count` columns in `basis` (each a Float64Array), twice (DGKS). */
export function orthogonalize(v: Float64Array, basis: Float64Array[], count = basis.length): void {
  for (let pass = 0; pass < 2; pass++) {
    for (let j = 0; j < count; j++) {
      const q = basis[j]!;
      const c = dot(q, v);
      for (let i = 0; i < v.length; i++) v[i]! -= c * q[i]!;
    }
  }
}
