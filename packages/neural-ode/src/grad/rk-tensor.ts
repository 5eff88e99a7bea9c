// One explicit Runge–Kutta step written with @x/tensor ops, so any transform (grad, jvp, vjp) differentiates it.
import * as X from "@x/tensor";
import type { ButcherTableau } from "../explicit/tableau.js";
import type { TensorField } from "./tensor-field.js";

export function rkStepTensor<P>(
  tab: ButcherTableau,
  f: TensorField<P>,
  t: number,
  y: X.Tensor,
  h: number,
  params: P,
): X.Tensor {
  const k: X.Tensor[] = [f(t, y, params)];
  for (let i = 1; i < tab.stages; i++) {
    let acc = y;
    const ai = tab.a[i]!;
    for (let j = 0; j < i; j++) if (ai[j] !== 0) acc = X.add(acc, X.mul(h * ai[j]!, k[j]!));
    k.push(f(t + tab.c[i]! * h, acc, params));
  }
  let y1 = y;
  for (let j = 0; j < tab.stages; j++) if (tab.b[j] !== 0) y1 = X.add(y1, X.mul(h * tab.b[j]!, k[j]!));
  return y1;
}
