// Shared pieces of the minimax methods for min_x max_y L(x, y): the gradient operator
// F(x, y) = (∇ₓL, −∇_yL) (monotone when L is convex–concave), options, results, stopping on ‖F‖.
import { asTensor, grad, neg, type Tensor, type TensorLike, ValueError } from "@x/tensor";
import { vnorm } from "../internal/vec.js";

export interface MinimaxOptions {
  /** Step size for x (default 0.1). */
  lr?: number;
  /** Step size for y (default lr; a different value gives the two-timescale method). */
  lrY?: number;
  /** Stop when the operator residual ‖F(x, y)‖₂ ≤ tol (default 1e-8). */
  tol?: number;
  maxIter?: number;
  /** (x, y) ↦ [∇ₓL, ∇_yL] supplied by the caller (skips autodiff, like SciPy's jac=True). */
  gradient?: (x: Tensor, y: Tensor) => [Tensor, Tensor];
}

export interface MinimaxResult {
  x: Tensor;
  y: Tensor;
  converged: boolean;
  iterations: number;
  /** ‖F(x, y)‖₂ at the end, and after each iteration (entry 0 at the start). */
  residual: number;
  residualHistory: number[];
}

export type Saddle = (x: Tensor, y: Tensor) => Tensor;

export function setup(L: Saddle, x0: TensorLike, y0: TensorLike, o: MinimaxOptions, fn: string) {
  const lr = o.lr ?? 0.1;
  const lrY = o.lrY ?? lr;
  const tol = o.tol ?? 1e-8;
  const maxIter = o.maxIter ?? 1000;
  for (const [k, v] of Object.entries({ lr, lrY, tol })) {
    if (!(v > 0) || !Number.isFinite(v)) throw new ValueError(`${fn}: ${k} must be a finite number > 0, got ${v}`);
  }
  if (!Number.isInteger(maxIter) || maxIter < 0)
    throw new ValueError(`${fn}: maxIter must be an integer ≥ 0, got ${maxIter}`);
  const gx = grad(L, 0) as Saddle;
  const gy = grad(L, 1) as Saddle;
  const user = o.gradient;
  const F = (x: Tensor, y: Tensor): [Tensor, Tensor] => {
    if (user) {
      const [a, b] = user(x, y);
      return [a, neg(b)];
    }
    return [gx(x, y), neg(gy(x, y))];
  };
  const res = ([a, b]: [Tensor, Tensor]) => Math.hypot(vnorm(a.data), vnorm(b.data));
  return { x: asTensor(x0, "x0"), y: asTensor(y0, "y0"), lr, lrY, tol, maxIter, F, res };
}

/** Runs `step` (returning the new pair and F there) until ‖F‖ ≤ tol or maxIter. */
export function loop(
  s: ReturnType<typeof setup>,
  step: (k: number, x: Tensor, y: Tensor, Fz: [Tensor, Tensor]) => [Tensor, Tensor],
): MinimaxResult {
  let { x, y } = s;
  let Fz = s.F(x, y);
  const hist = [s.res(Fz)];
  let k = 0;
  while (k < s.maxIter && hist.at(-1)! > s.tol && Number.isFinite(hist.at(-1)!)) {
    [x, y] = step(k, x, y, Fz);
    Fz = s.F(x, y);
    hist.push(s.res(Fz));
    k++;
  }
  const r = hist.at(-1)!;
  return { x, y, converged: r <= s.tol, iterations: k, residual: r, residualHistory: hist };
}
