// EDICT-style exactly invertible coupled steps (Wallace, Gokul & Naik, "EDICT: Exact Diffusion Inversion via Coupled
// Transformations", CVPR 2023), written for an ODE y' = f(t, y): two copies (x, y) update each other with Euler
// steps, then mix with weight p ∈ (0, 1):
//   x̃ = x + h·f(t, y),  ỹ = y + h·f(t, x̃),  x' = p·x̃ + (1 − p)·ỹ,  y' = p·ỹ + (1 − p)·x'.
// Each line is affine in the updated copy, so the inverse is explicit and exact up to round-off.
import * as X from "@x/tensor";
import { ValueError } from "@x/tensor";
import type { TensorField } from "./tensor-field.js";

export interface CoupledState {
  x: X.Tensor;
  y: X.Tensor;
}

function checkP(p: number): void {
  if (!(p > 0 && p <= 1)) throw new ValueError(`edict: mixing weight p must be in (0, 1], got ${p}`);
}

export function edictStep<P>(
  f: TensorField<P>,
  t: number,
  h: number,
  s: CoupledState,
  params: P,
  p = 0.93,
): CoupledState {
  checkP(p);
  const xt = X.add(s.x, X.mul(h, f(t, s.y, params)));
  const yt = X.add(s.y, X.mul(h, f(t, xt, params)));
  const x = X.add(X.mul(p, xt), X.mul(1 - p, yt));
  const y = X.add(X.mul(p, yt), X.mul(1 - p, x));
  return { x, y };
}

export function edictInverse<P>(
  f: TensorField<P>,
  t: number,
  h: number,
  s: CoupledState,
  params: P,
  p = 0.93,
): CoupledState {
  checkP(p);
  const yt = X.div(X.sub(s.y, X.mul(1 - p, s.x)), p);
  const xt = X.div(X.sub(s.x, X.mul(1 - p, yt)), p);
  const y = X.sub(yt, X.mul(h, f(t, xt, params)));
  const x = X.sub(xt, X.mul(h, f(t, y, params)));
  return { x, y };
}
