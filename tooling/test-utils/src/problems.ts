// Optimisation test problems shared by tests and benchmarks (no vitest import, so scripts can load it through
// the "@x/test-utils/problems" subpath). Chained Rosenbrock as scipy.optimize.rosen / rosen_der / rosen_hess_prod.
import { add, mul, slice, square, sub, sum, type Tensor } from "@x/tensor";

/** Chained Rosenbrock Σ 100(x_{i+1} − x_i²)² + (1 − x_i)² written with @x/tensor ops (differentiable). */
export function rosen(x: Tensor): Tensor {
  const n = x.size;
  const a = slice(x, [[0, n - 1]]);
  const b = slice(x, [[1, n]]);
  return sum(add(mul(100, square(sub(b, square(a)))), square(sub(1, a))));
}

/** Chained Rosenbrock value and gradient on Float64Array (the `jac: true` fast path, like scipy's rosen_der). */
export function rosenVg(x: Tensor): [number, Float64Array] {
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
export function rosenHessp(x: Tensor, p: Tensor): Float64Array {
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
