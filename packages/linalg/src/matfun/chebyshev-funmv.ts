// f(A)·v for a symmetric operator with spectrum in [a, b] by Chebyshev interpolation (Trefethen,
// "Approximation Theory and Approximation Practice", ch. 3–4; Higham, "Functions of Matrices", §4.4):
// f(λ) ≈ Σ_k c_k T_k(t(λ)), t(λ) = (2λ − a − b)/(b − a), with c_k from f at the Chebyshev points, then
// the three-term recurrence T_{k+1}(T) v = 2T·T_k v − T_{k−1} v needs one matvec per degree and no
// factorization.
import {
  add,
  asTensor,
  LinearOperator,
  mul,
  ShapeError,
  sub,
  type Tensor,
  type TensorLike,
  ValueError,
} from "@x/tensor";

export interface ChebyshevFunmvOptions {
  /** [a, b] enclosing the spectrum of A (e.g. from Lanczos or Gershgorin). */
  bounds: readonly [number, number];
  /** Polynomial degree (default 40). */
  degree?: number;
}

/** Chebyshev coefficients of the scalar f on [a, b], degree d (d + 1 Chebyshev points of the first kind). */
export function chebyshevCoefficients(f: (x: number) => number, a: number, b: number, d: number): number[] {
  const m = d + 1;
  const fx = Array.from({ length: m }, (_, j) => {
    const t = Math.cos((Math.PI * (j + 0.5)) / m);
    return f(0.5 * (b - a) * t + 0.5 * (a + b));
  });
  return Array.from({ length: m }, (_, k) => {
    let s = 0;
    for (let j = 0; j < m; j++) s += fx[j]! * Math.cos((Math.PI * k * (j + 0.5)) / m);
    return ((k === 0 ? 1 : 2) * s) / m;
  });
}

/** ≈ f(A)·v for a symmetric A (operator or dense matrix) with spectrum inside options.bounds. */
export function chebyshevFunmv(
  a: LinearOperator | TensorLike,
  f: (x: number) => number,
  v: TensorLike,
  options: ChebyshevFunmvOptions,
): Tensor {
  const op = a instanceof LinearOperator ? a : LinearOperator.fromDense(a);
  const [lo, hi] = options.bounds;
  const { degree = 40 } = options;
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && hi > lo)) {
    throw new ValueError(`chebyshevFunmv: options.bounds must be finite with a < b, got [${lo}, ${hi}]`);
  }
  if (!(Number.isInteger(degree) && degree >= 0)) {
    throw new ValueError(`chebyshevFunmv: options.degree must be a non-negative integer, got ${degree}`);
  }
  if (op.shape[0] !== op.shape[1]) throw new ShapeError(`chebyshevFunmv: a must be square, got [${op.shape}]`);
  const V = asTensor(v, "v");
  const c = chebyshevCoefficients(f, lo, hi, degree);
  if (c.some((x) => !Number.isFinite(x))) {
    throw new ValueError("chebyshevFunmv: f is not finite on the bounds (is the spectrum interval right?)");
  }
  // T(x) = (2A − (a + b)I)/(b − a) maps the spectrum into [−1, 1].
  const T = (x: Tensor) => mul(sub(mul(2, op.matvec(x)), mul(lo + hi, x)), 1 / (hi - lo));
  let tPrev = V;
  let acc = mul(c[0]!, V);
  if (degree === 0) return acc;
  let tCur = T(V);
  acc = add(acc, mul(c[1]!, tCur));
  for (let k = 2; k <= degree; k++) {
    const tNext = sub(mul(2, T(tCur)), tPrev);
    acc = add(acc, mul(c[k]!, tNext));
    tPrev = tCur;
    tCur = tNext;
  }
  return acc;
}
