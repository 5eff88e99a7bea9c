// Tolerant comparisons. Never compare floats with toEqual (−0 ≠ +0, rounding); the tolerance follows
// the backend's float precision.
import { asTensor, Tensor, type TensorLike } from "@x/tensor";

export interface Tol {
  rtol?: number;
  atol?: number;
}

/** Default tolerance for a backend precision: float64 ≈ 1e-10 relative, float32 ≈ 1e-4. */
export function tolFor(precision: 32 | 64): Required<Tol> {
  return precision === 64 ? { rtol: 1e-10, atol: 1e-12 } : { rtol: 2e-4, atol: 1e-5 };
}

/** |a − b| ≤ atol + rtol·|b|; NaN matches NaN and equal infinities match. */
export function close(a: number, b: number, { rtol = 1e-10, atol = 1e-12 }: Tol = {}): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b;
  return Math.abs(a - b) <= atol + rtol * Math.abs(b);
}

function values(x: TensorLike | readonly number[]): { shape: readonly number[]; data: ArrayLike<number> } {
  if (typeof x === "number") return { shape: [], data: [x] };
  const t = x instanceof Tensor ? x : asTensor(x as TensorLike);
  return { shape: t.shape, data: t.data };
}

/** Throws with the worst entry when `actual` and `expected` differ in shape or beyond tolerance. */
export function expectClose(actual: TensorLike, expected: TensorLike, tol: Tol = {}, label = "value"): void {
  const a = values(actual);
  const e = values(expected);
  if (a.shape.length !== e.shape.length || a.shape.some((d, i) => d !== e.shape[i])) {
    throw new Error(`${label}: shape [${a.shape}] differs from expected [${e.shape}]`);
  }
  let worst = -1;
  let worstErr = 0;
  for (let i = 0; i < a.data.length; i++) {
    const x = a.data[i]!;
    const y = e.data[i]!;
    if (!close(x, y, tol)) {
      const err = Math.abs(x - y);
      if (worst < 0 || !(err <= worstErr)) {
        worst = i;
        worstErr = err;
      }
    }
  }
  if (worst >= 0) {
    throw new Error(
      `${label}: entry ${worst} is ${a.data[worst]}, expected ${e.data[worst]} (|diff| ${worstErr}, rtol ${tol.rtol ?? 1e-10}, atol ${tol.atol ?? 1e-12})`,
    );
  }
}
