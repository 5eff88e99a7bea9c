// Randomized range finder with oversampling and subspace (power) iterations (Halko, Martinsson & Tropp,
// SIAM Review 53(2), 2011, Algorithms 4.1/4.4).
import { type Key, normal, type Tensor, tensor, ValueError } from "@x/tensor";
import { qr } from "../dense/qr.js";
import { checkCount, keyOf, type OperatorInput, operatorOf } from "../spectral/common.js";
import { applyCols } from "./common.js";

export interface RangeFinderOptions {
  /** Extra columns beyond k (default 10). */
  oversample?: number;
  /** Subspace iterations q (default 0; 1–2 help when singular values decay slowly). */
  powerIters?: number;
  key?: Key;
  seed?: number;
}

function orth(Y: Float64Array, m: number, l: number): Float64Array {
  return Float64Array.from(qr(tensor(Y, [m, l])).q.data);
}

/** @internal Raw version; returns Q (m×l row-major) and l. */
export function rangeFinderRaw(A: OperatorInput, k: number, opts: RangeFinderOptions, fn: string) {
  const op = operatorOf(A, fn, false);
  const [m, n] = op.shape;
  checkCount(k, Math.min(m, n), "k", fn);
  const p = opts.oversample ?? 10;
  const q = opts.powerIters ?? 0;
  if (!Number.isInteger(p) || p < 0) throw new ValueError(`${fn}: oversample must be an integer ≥ 0, got ${p}`);
  if (!Number.isInteger(q) || q < 0) throw new ValueError(`${fn}: powerIters must be an integer ≥ 0, got ${q}`);
  const l = Math.min(k + p, m, n);
  const omega = normal(keyOf(opts), [n, l]).data;
  let Q = orth(applyCols(op, Float64Array.from(omega), l), m, l);
  // Re-orthonormalise between applications so small singular directions are not lost to rounding.
  for (let it = 0; it < q; it++) {
    const Z = orth(applyCols(op, Q, l, true), n, l);
    Q = orth(applyCols(op, Z, l), m, l);
  }
  return { op, Q, m, n, l };
}

/** Orthonormal Q (m×(k+oversample), capped at min(m, n)) with range(Q) ≈ range(A). */
export function randomizedRangeFinder(A: OperatorInput, k: number, opts: RangeFinderOptions = {}): Tensor {
  const { Q, m, l } = rangeFinderRaw(A, k, opts, "randomizedRangeFinder");
  return tensor(Q, [m, l]);
}
