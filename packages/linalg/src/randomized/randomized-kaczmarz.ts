// Randomized Kaczmarz with rows sampled ∝ ‖a_i‖² (Strohmer & Vershynin, J. Fourier Anal. Appl. 15, 2009).
import {
  assertFinite,
  asTensor,
  foldIn,
  type Key,
  LinearOperator,
  ShapeError,
  type Tensor,
  type TensorLike,
  tensor,
  uniformArray,
  ValueError,
} from "@x/tensor";
import { keyOf } from "../spectral/common.js";

export interface RowActionOptions {
  key?: Key;
  seed?: number;
  /** Relative tolerance on ‖b − Ax‖ / ‖b‖ (default 1e-8). */
  tol?: number;
  /** Row updates cap (default 100·m). */
  maxIter?: number;
  x0?: TensorLike;
  /** Residual is evaluated every `checkEvery` row updates (default m, one sweep's worth). */
  checkEvery?: number;
}

export interface RowActionResult {
  x: Tensor;
  converged: boolean;
  iterations: number;
  /** ‖b − Ax‖ at iteration 0 and then every checkEvery iterations. */
  residualNorms: number[];
}

/** @internal Shared checks for the row-action solvers. */
export function rowSetup(A: LinearOperator | TensorLike, b: TensorLike, x0: TensorLike | undefined, fn: string) {
  const t = A instanceof LinearOperator ? A.toDense() : asTensor(A, `${fn}: A`);
  if (t.rank !== 2) throw new ShapeError(`${fn}: A must be a matrix, got shape [${t.shape.join(", ")}]`);
  assertFinite(t.data, `${fn}: A`);
  const [m, n] = [t.shape[0]!, t.shape[1]!];
  const bt = asTensor(b, "b");
  if (bt.rank !== 1 || bt.size !== m)
    throw new ShapeError(`${fn}: b must be a vector of length ${m}, got [${bt.shape.join(", ")}]`);
  assertFinite(bt.data, `${fn}: b`);
  let x = new Float64Array(n);
  if (x0 !== undefined) {
    const xt = asTensor(x0, "x0");
    if (xt.size !== n) throw new ShapeError(`${fn}: x0 must have length ${n}`);
    x = Float64Array.from(xt.data);
  }
  return { a: t.data, b: bt.data, m, n, x };
}

/** @internal ‖b − A x‖. */
export function resNorm(a: Float64Array, b: Float64Array, x: Float64Array, m: number, n: number): number {
  let s = 0;
  for (let i = 0; i < m; i++) {
    let r = b[i]!;
    for (let j = 0; j < n; j++) r -= a[i * n + j]! * x[j]!;
    s += r * r;
  }
  return Math.sqrt(s);
}

/** Solves a consistent system A x = b (least-norm solution from x0 = 0) by randomized Kaczmarz. */
export function randomizedKaczmarz(
  A: LinearOperator | TensorLike,
  b: TensorLike,
  opts: RowActionOptions = {},
): RowActionResult {
  const fn = "randomizedKaczmarz";
  const { a, b: bb, m, n, x } = rowSetup(A, b, opts.x0, fn);
  const tol = opts.tol ?? 1e-8;
  const maxIter = opts.maxIter ?? 100 * m;
  const every = opts.checkEvery ?? m;
  if (!(tol >= 0) || !Number.isInteger(maxIter) || maxIter < 0 || !Number.isInteger(every) || every < 1) {
    throw new ValueError(`${fn}: need tol ≥ 0, integer maxIter ≥ 0, integer checkEvery ≥ 1`);
  }
  const rowNorm2 = new Float64Array(m);
  const cdf = new Float64Array(m);
  let total = 0;
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += a[i * n + j]! ** 2;
    rowNorm2[i] = s;
    total += s;
    cdf[i] = total;
  }
  if (total === 0) throw new ValueError(`${fn}: A must have a nonzero row`);
  const key = keyOf(opts);
  const bnorm = Math.sqrt(bb.reduce((s, v) => s + v * v, 0));
  const target = tol * (bnorm || 1);
  const residualNorms = [resNorm(a, bb, x, m, n)];
  let converged = residualNorms[0]! <= target;
  let it = 0;
  let block = 0;
  while (!converged && it < maxIter) {
    const steps = Math.min(every, maxIter - it);
    const u = uniformArray(foldIn(key, block++), steps);
    for (let s = 0; s < steps; s++) {
      const x0 = u[s]! * total;
      let lo = 0;
      let hi = m - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cdf[mid]! < x0) lo = mid + 1;
        else hi = mid;
      }
      if (rowNorm2[lo] === 0) continue;
      // Project x onto the hyperplane a_iᵀx = b_i.
      let r = bb[lo]!;
      for (let j = 0; j < n; j++) r -= a[lo * n + j]! * x[j]!;
      const c = r / rowNorm2[lo]!;
      for (let j = 0; j < n; j++) x[j]! += c * a[lo * n + j]!;
    }
    it += steps;
    const rn = resNorm(a, bb, x, m, n);
    if (!Number.isFinite(rn)) throw new ValueError(`${fn}: iteration diverged (non-finite residual)`);
    residualNorms.push(rn);
    converged = rn <= target;
  }
  return { x: tensor(x, [n]), converged, iterations: it, residualNorms };
}
