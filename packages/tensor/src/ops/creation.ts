// Constructors. They build float64 values on the host and hand them to the active backend.
import { ValueError } from "../errors.js";
import { sizeOf } from "../shape.js";
import { asTensor, fromF64, type Tensor, type TensorLike } from "../tensor.js";

function checkShape(shape: readonly number[], op: string): void {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new ValueError(`${op}: shape must be a list of non-negative integers, got ${JSON.stringify(shape)}`);
  }
}

export function full(shape: readonly number[], value: number): Tensor {
  checkShape(shape, "full");
  return fromF64(new Float64Array(sizeOf(shape)).fill(value), shape);
}

export const zeros = (shape: readonly number[]): Tensor => full(shape, 0);
export const ones = (shape: readonly number[]): Tensor => full(shape, 1);
export const zerosLike = (x: TensorLike): Tensor => zeros(asTensor(x).shape);
export const onesLike = (x: TensorLike): Tensor => ones(asTensor(x).shape);

/** n×m identity (m defaults to n), with ones on the k-th diagonal. */
export function eye(n: number, m = n, k = 0): Tensor {
  checkShape([n, m], "eye");
  const d = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    const j = i + k;
    if (j >= 0 && j < m) d[i * m + j] = 1;
  }
  return fromF64(d, [n, m]);
}

/** Values from `start` (inclusive) to `stop` (exclusive) by `step`; `arange(n)` is 0..n-1. */
export function arange(start: number, stop?: number, step = 1): Tensor {
  if (stop === undefined) {
    stop = start;
    start = 0;
  }
  if (step === 0 || !Number.isFinite(step))
    throw new ValueError(`arange: step must be finite and nonzero, got ${step}`);
  if (!Number.isFinite(start) || !Number.isFinite(stop)) {
    throw new ValueError(`arange: start and stop must be finite, got ${start} and ${stop}`);
  }
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = start + i * step;
  return fromF64(d, [n]);
}

/** `num` evenly spaced values from start to stop (inclusive by default). */
export function linspace(start: number, stop: number, num = 50, endpoint = true): Tensor {
  if (!Number.isInteger(num) || num < 0)
    throw new ValueError(`linspace: num must be a non-negative integer, got ${num}`);
  const d = new Float64Array(num);
  const div = endpoint ? num - 1 : num;
  const step = div > 0 ? (stop - start) / div : 0;
  for (let i = 0; i < num; i++) d[i] = start + i * step;
  if (endpoint && num > 1) d[num - 1] = stop;
  return fromF64(d, [num]);
}

/** Square matrix with `v` on its diagonal. */
export function diag(v: TensorLike): Tensor {
  const t = asTensor(v, "v");
  if (t.rank !== 1) throw new ValueError(`diag: expected a vector, got rank ${t.rank}`);
  const n = t.size;
  const d = new Float64Array(n * n);
  const src = t.data;
  for (let i = 0; i < n; i++) d[i * n + i] = src[i]!;
  return fromF64(d, [n, n]);
}
