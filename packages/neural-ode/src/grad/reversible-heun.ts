// Reversible Heun (Kidger, Foster, Li & Lyons, "Efficient and accurate gradients for neural SDEs", NeurIPS 2021):
//   ŷ_{n+1} = 2y_n − ŷ_n + f(t_n, ŷ_n)·h,   y_{n+1} = y_n + ½(f(t_n, ŷ_n) + f(t_{n+1}, ŷ_{n+1}))·h
// is algebraically reversible, so the backward pass reconstructs every state from the last one (O(1) memory) and
// the gradient is the exact gradient of the discrete solution (up to round-off in the reconstruction).
import * as X from "@x/tensor";
import { ValueError } from "@x/tensor";
import { assertFiniteTree, type TensorField } from "./tensor-field.js";

export interface ReversibleHeunState {
  y: X.Tensor;
  yHat: X.Tensor;
  /** f(t, ŷ) at the state's time (carried so each step costs one evaluation). */
  fHat: X.Tensor;
}

export function reversibleHeunStep<P>(
  f: TensorField<P>,
  t: number,
  h: number,
  s: ReversibleHeunState,
  params: P,
): ReversibleHeunState {
  const yHat = X.add(X.sub(X.mul(2, s.y), s.yHat), X.mul(h, s.fHat));
  const fHat = f(t + h, yHat, params);
  const y = X.add(s.y, X.mul(0.5 * h, X.add(s.fHat, fHat)));
  return { y, yHat, fHat };
}

/** Exact algebraic inverse of reversibleHeunStep (one evaluation of f). */
export function reversibleHeunInverse<P>(
  f: TensorField<P>,
  t1: number,
  h: number,
  s: ReversibleHeunState,
  params: P,
): ReversibleHeunState {
  const yHat = X.sub(X.sub(X.mul(2, s.y), s.yHat), X.mul(h, s.fHat));
  const fHat = f(t1 - h, yHat, params);
  const y = X.sub(s.y, X.mul(0.5 * h, X.add(fHat, s.fHat)));
  return { y, yHat, fHat };
}

/**
 * y(t1) by n reversible Heun steps from y(t0) = y0, differentiable in y0 and params with O(1) memory: the backward
 * pass walks the steps in reverse, reconstructing each state by the inverse step and applying one local VJP.
 */
export function reversibleHeun<P>(
  f: TensorField<P>,
  y0: X.Tensor,
  [t0, t1]: readonly [number, number],
  params: P,
  { steps }: { steps: number },
): X.Tensor {
  if (!Number.isInteger(steps) || steps < 1)
    throw new ValueError(`reversibleHeun: steps must be a positive integer, got ${steps}`);
  if (!(Number.isFinite(t0) && Number.isFinite(t1)) || t0 === t1) {
    throw new ValueError(`reversibleHeun: need finite t0 != t1, got [${t0}, ${t1}]`);
  }
  X.assertFinite(y0.data, "reversibleHeun: y0");
  assertFiniteTree(params, "reversibleHeun: params");
  const h = (t1 - t0) / steps;
  const flat = X.treeFlatten(params, "params");
  const run = (y: X.Tensor, leaves: X.Tensor[]): ReversibleHeunState => {
    const p = flat.unflatten(leaves) as P;
    let s: ReversibleHeunState = { y, yHat: y, fHat: f(t0, y, p) };
    for (let i = 0; i < steps; i++) s = reversibleHeunStep(f, t0 + i * h, h, s, p);
    return s;
  };
  const solve = X.customVjp(
    (y: X.Tensor, ...leaves: X.Tensor[]) => run(y, leaves).y,
    (y: X.Tensor, ...leaves: X.Tensor[]) => {
      const s = run(y, leaves);
      return [s.y, { s, leaves }] as [X.Tensor, { s: ReversibleHeunState; leaves: X.Tensor[] }];
    },
    ({ s, leaves }, g) => {
      const p = flat.unflatten(leaves) as P;
      let state = s;
      let ay = g;
      let ayHat = X.zerosLike(g);
      const aθ = leaves.map((l) => X.zerosLike(l));
      for (let i = steps - 1; i >= 0; i--) {
        const t = t0 + i * h;
        const prev = reversibleHeunInverse(f, t + h, h, state, p);
        // the step as a function of (y_n, ŷ_n, θ), with f(t_n, ŷ_n) recomputed inside so ŷ_n carries its gradient
        const step = (yy: X.Tensor, yh: X.Tensor, ...ls: X.Tensor[]) => {
          const pp = flat.unflatten(ls) as P;
          const next = reversibleHeunStep(f, t, h, { y: yy, yHat: yh, fHat: f(t, yh, pp) }, pp);
          return [next.y, next.yHat];
        };
        const [, pull] = X.vjp(step, prev.y, prev.yHat, ...leaves);
        const ct = pull([ay, ayHat]) as (X.Tensor | null)[];
        ay = ct[0] ?? X.zerosLike(ay);
        ayHat = ct[1] ?? X.zerosLike(ayHat);
        for (let k = 0; k < leaves.length; k++) {
          const c = ct[k + 2];
          if (c) aθ[k] = X.add(aθ[k]!, c);
        }
        state = prev;
      }
      // ŷ_0 = y_0, and f̂_0 = f(t0, ŷ_0) was recomputed inside the first step: both cotangents reach y0
      return [X.add(ay, ayHat), ...aθ];
    },
  );
  return solve(y0, ...flat.leaves);
}
