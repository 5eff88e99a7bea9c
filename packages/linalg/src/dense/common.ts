// Shared helpers of the dense group: shape checks for batched matrices, constant triangle masks and
// small differentiable compositions used by the derivative rules.
import { add, assertFinite, mT, mul, ShapeError, sum, type Tensor, tensor, UnsupportedError } from "@x/tensor";

export interface MatInfo {
  /** Leading (batch) dimensions. */
  batch: number[];
  /** Number of matrices in the batch. */
  count: number;
  m: number;
  n: number;
}

/** Checks that `t` is a (batch of) matrix [..., m, n], square if asked, with finite entries. */
export function matInfo(t: Tensor, fn: string, arg: string, square = false, finite = true): MatInfo {
  if (t.rank < 2) throw new ShapeError(`${fn}: ${arg} must be a matrix [..., m, n], got shape [${t.shape}]`);
  const m = t.shape[t.rank - 2]!;
  const n = t.shape[t.rank - 1]!;
  if (square && m !== n) throw new ShapeError(`${fn}: ${arg} must be square, got shape [${t.shape}]`);
  const batch = t.shape.slice(0, -2);
  if (finite) assertFinite(t.data, `${fn}: ${arg}`);
  return { batch, count: batch.reduce((p, d) => p * d, 1), m, n };
}

/**
 * Right-hand side of a batched solve with A [..., n, n]: b is [..., n] (vector; rank = rank(A) − 1)
 * or [..., n, k] (rank = rank(A)), with the same leading dimensions as A.
 */
export function rhsInfo(b: Tensor, a: MatInfo, fn: string, arg = "b"): { vector: boolean; k: number } {
  const vector = b.rank === a.batch.length + 1;
  const ok =
    (vector || b.rank === a.batch.length + 2) &&
    a.batch.every((d, i) => b.shape[i] === d) &&
    b.shape[a.batch.length] === a.m;
  if (!ok) {
    throw new ShapeError(
      `${fn}: ${arg} must have shape [${[...a.batch, a.m]}] or [${[...a.batch, a.m]}, k] to match a of shape [${[...a.batch, a.m, a.n]}], got [${b.shape}]`,
    );
  }
  assertFinite(b.data, `${fn}: ${arg}`);
  return { vector, k: vector ? 1 : b.shape[b.rank - 1]! };
}

export type MaskKind = "lower" | "upper" | "strictLower" | "strictUpper" | "phi";

/** Constant n×n mask: triangles, or Φ of Murray (2016): lower triangle with the diagonal halved. */
export function mask(n: number, kind: MaskKind): Tensor {
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let v = 0;
      if (kind === "lower") v = j <= i ? 1 : 0;
      else if (kind === "upper") v = j >= i ? 1 : 0;
      else if (kind === "strictLower") v = j < i ? 1 : 0;
      else if (kind === "strictUpper") v = j > i ? 1 : 0;
      else v = j < i ? 1 : j === i ? 0.5 : 0;
      d[i * n + j] = v;
    }
  }
  return tensor(d, [n, n]);
}

/** (A + Aᵀ)/2 over the last two axes. */
export const sym = (a: Tensor): Tensor => mul(0.5, add(a, mT(a)));

/** tr(X·Y) per batch entry, as Σ Xᵀ ⊙ Y (differentiable). */
export const traceProd = (x: Tensor, y: Tensor): Tensor => sum(mul(mT(x), y), { axis: [-2, -1] });

/** Writes a Float64Array into a tensor of the given shape. */
export const out = (d: Float64Array, shape: readonly number[]): Tensor => tensor(d, [...shape]);

/** True when `t` is a concrete tensor (not an autodiff tracer): then a derivative-free fast path is safe. */
export const isConcrete = (t: Tensor): boolean => t._level === 0;

/**
 * Throws UnsupportedError when a non-differentiable routine receives an autodiff tracer: reading its
 * values would silently yield a zero derivative. Wrap the argument in stopGradient to opt out.
 */
export function assertNotTraced(t: Tensor, fn: string, arg: string, hint: string): void {
  if (!isConcrete(t)) {
    throw new UnsupportedError(
      `${fn} is not differentiable (${arg} is being traced by grad/jvp); ${hint}, or pass stopGradient(${arg})`,
    );
  }
}
