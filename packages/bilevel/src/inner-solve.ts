// Lower-level solves shared by the hypergradient methods: an accurate argmin by L-BFGS (from
// @x/second-order) and a step-size estimate 1/L from power iteration on the inner Hessian (HVPs).

import { cg } from "@x/linalg";
import { minimize } from "@x/second-order";
import { fromData, grad, hvp, LinearOperator, reshape, sub, type Tensor, ValueError } from "@x/tensor";
import type { InnerResult } from "./custom-root.js";
import { vnorm } from "./internal/vec.js";

export interface ArgminOptions {
  /** Tolerance on ‖∇ₓg‖∞ relative to max(1, ‖∇ₓg(x0)‖∞) (default 1e-10). */
  tol?: number;
  /** Iteration cap (default 1000). */
  maxIter?: number;
  /** Finish with up to 5 Newton-CG steps (HVPs) when L-BFGS stalls short of tol (default true). */
  polish?: boolean;
}

/** argmin_x g(x, λ) by L-BFGS from x0; the result reports convergence and the final gradient norm. */
export function innerArgmin(
  g: (x: Tensor, lambda: Tensor) => Tensor,
  x0: Tensor,
  lambda: Tensor,
  options: ArgminOptions = {},
): InnerResult & { converged: boolean; iterations: number; residual: number } {
  const fn = (x: Tensor) => g(x, lambda);
  const gradOf = grad(fn) as (x: Tensor) => Tensor;
  const maxIter = options.maxIter ?? 1000;
  const target = (options.tol ?? 1e-10) * Math.max(1, infNorm(gradOf(x0).data));
  const r = minimize(fn, x0, { method: "lbfgs", tol: target, maxIter });
  let x = r.x as Tensor;
  let gx = gradOf(x);
  let res = infNorm(gx.data);
  let iterations = r.iterations;
  // L-BFGS's line search stalls when f stops changing in float64 (‖∇g‖ ~ 1e-8 relative); a few Newton
  // steps (CG on HVPs, no line search, kept only while ‖∇g‖ falls) reach the gradient-level precision.
  for (
    let k = 0;
    k < (options.polish === false ? 0 : 5) && res > target && iterations < maxIter && Number.isFinite(res);
    k++
  ) {
    const H = LinearOperator.fromFunction(
      [x.size, x.size],
      (v) => reshape(hvp(fn, x, reshape(v, x.shape)) as Tensor, [-1]),
      {
        symmetric: true,
      },
    );
    const step = cg(H, reshape(gx, [-1]), { tol: 1e-12, maxIter: 10 * x.size });
    const xn = sub(x, reshape(step.x, x.shape));
    const gn = gradOf(xn);
    const rn = infNorm(gn.data);
    iterations++;
    if (!(rn < res)) break;
    x = xn;
    gx = gn;
    res = rn;
  }
  return { x, converged: res <= target, iterations, residual: res };
}

function infNorm(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return a.some(Number.isNaN) ? Number.NaN : m;
}

/** λmax of ∇ₓ²g(x, λ) by 30 power iterations (an estimate from below; callers add a margin). */
export function innerLipschitz(g: (x: Tensor, lambda: Tensor) => Tensor, x: Tensor, lambda: Tensor): number {
  const n = x.size;
  let v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = 1 + ((i * 7919) % 17) / 17;
  let lam = 0;
  for (let k = 0; k < 30; k++) {
    const nv = vnorm(v);
    if (nv === 0) break;
    for (let i = 0; i < n; i++) v[i]! /= nv;
    const hv = hvp((z: Tensor) => g(z, lambda), x, fromData(Float64Array.from(v), x.shape)) as Tensor;
    v = Float64Array.from(hv.data);
    lam = vnorm(v);
  }
  if (!Number.isFinite(lam)) throw new ValueError("innerLipschitz: the inner Hessian has non-finite entries");
  return lam > 0 ? lam : 1;
}
