// Test functions shared by the minimize tests (written with @x/tensor ops, differentiable).
import * as X from "@x/tensor";

/** Chained Rosenbrock Σ 100(x_{i+1} − x_i²)² + (1 − x_i)², as scipy.optimize.rosen. */
export function rosen(x: X.Tensor): X.Tensor {
  const n = x.size;
  const a = X.slice(x, [[0, n - 1]]);
  const b = X.slice(x, [[1, n]]);
  return X.sum(X.add(X.mul(100, X.square(X.sub(b, X.square(a)))), X.square(X.sub(1, a))));
}

export function beale(p: X.Tensor): X.Tensor {
  const x = X.slice(p, [[0, 1]]);
  const y = X.slice(p, [[1, 2]]);
  const t = (c: number, k: number) => X.square(X.add(X.sub(c, x), X.mul(x, X.pow(y, k))));
  return X.sum(X.add(X.add(t(1.5, 1), t(2.25, 2)), t(2.625, 3)));
}

export function powell(p: X.Tensor): X.Tensor {
  const [a, b, c, d] = [0, 1, 2, 3].map((i) => X.slice(p, [[i, i + 1]])) as [X.Tensor, X.Tensor, X.Tensor, X.Tensor];
  return X.sum(
    X.add(
      X.add(X.square(X.add(a, X.mul(10, b))), X.mul(5, X.square(X.sub(c, d)))),
      X.add(X.pow(X.sub(b, X.mul(2, c)), 4), X.mul(10, X.pow(X.sub(a, d), 4))),
    ),
  );
}

export const problems: Record<string, (x: X.Tensor) => X.Tensor> = {
  rosenbrock: rosen,
  beale,
  powell,
  "chained-rosenbrock-100": rosen,
};

/** ½xᵀAx − bᵀx as a tensor function. */
export function quadratic(A: X.Tensor, b: X.Tensor): (x: X.Tensor) => X.Tensor {
  return (x) => X.sub(X.mul(0.5, X.dot(x, X.matmul(A, x))), X.dot(b, x));
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** Chained Rosenbrock value and gradient on Float64Array (the `jac: true` fast path, like scipy's rosen_der). */
export function rosenVg(x: X.Tensor): [number, Float64Array] {
  const v = x.data;
  const n = v.length;
  const g = new Float64Array(n);
  let f = 0;
  for (let i = 0; i < n - 1; i++) {
    const t = v[i + 1]! - v[i]! * v[i]!;
    const s = 1 - v[i]!;
    f += 100 * t * t + s * s;
    g[i]! += -400 * v[i]! * t - 2 * s;
    g[i + 1]! += 200 * t;
  }
  return [f, g];
}

/** Chained Rosenbrock Hessian-vector product (tridiagonal Hessian), like scipy's rosen_hess_prod. */
export function rosenHessp(x: X.Tensor, p: X.Tensor): Float64Array {
  const v = x.data;
  const w = p.data;
  const n = v.length;
  const out = new Float64Array(n);
  if (n === 1) {
    out[0] = 0;
    return out;
  }
  // Tridiagonal H: diagonal 1200xᵢ² − 400xᵢ₊₁ + 2 (+ 200 for i > 0), off-diagonal −400xᵢ; first and last rows peeled.
  out[0] = (1200 * v[0]! * v[0]! - 400 * v[1]! + 2) * w[0]! - 400 * v[0]! * w[1]!;
  for (let i = 1; i < n - 1; i++) {
    out[i] = (1200 * v[i]! * v[i]! - 400 * v[i + 1]! + 202) * w[i]! - 400 * (v[i]! * w[i + 1]! + v[i - 1]! * w[i - 1]!);
  }
  out[n - 1] = 200 * w[n - 1]! - 400 * v[n - 2]! * w[n - 2]!;
  return out;
}
