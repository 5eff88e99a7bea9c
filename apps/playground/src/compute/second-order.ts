// second-order page: fixed-step gradient descent on a small MLP, with the sharpness λ_max(∇²L) measured by
// @x/second-order every few steps, against the stability threshold 2/η of gradient descent
// (Cohen et al., "Gradient descent on neural networks typically occurs at the edge of stability", ICLR 2021).
import { hessianOperator, topEigenvalues } from "@x/second-order";
import * as X from "@x/tensor";
import type { Compute } from "../protocol.js";
import { mlpData, mlpLoss } from "./mlp.js";

export interface SecondOrderResult {
  eta: number;
  loss: { k: number; loss: number }[];
  sharpness: { k: number; lambdaMax: number }[];
}

/** λ_max(∇²L(θ)) by Lanczos on Hessian-vector products (@x/second-order). */
export function sharpness(loss: (t: X.Tensor) => X.Tensor, theta: X.Tensor): number {
  return topEigenvalues(hessianOperator(loss, theta), 1, { seed: 0 }).values[0]!;
}

export function train(
  eta: number,
  steps: number,
  every: number,
  seed: number,
  onStep: (k: number) => void = () => {},
): SecondOrderResult {
  const { x, y, theta0 } = mlpData(seed);
  const loss = mlpLoss(x, y);
  const vg = X.valueAndGrad(loss);
  const out: SecondOrderResult = { eta, loss: [], sharpness: [] };
  let theta = theta0;
  for (let k = 0; k <= steps; k++) {
    const [v, g] = vg(theta) as [X.Tensor, X.Tensor];
    out.loss.push({ k, loss: v.item() });
    if (k % every === 0) {
      out.sharpness.push({ k, lambdaMax: sharpness(loss, theta) });
      onStep(k);
    }
    if (!Number.isFinite(v.item())) break;
    theta = X.sub(theta, X.mul(eta, g));
  }
  return out;
}

export const compute: Compute = (params, progress) => {
  const steps = Number(params.steps);
  return train(Number(params.eta), steps, Number(params.every), Number(params.seed), (k) =>
    progress(k / steps, `step ${k} of ${steps}`),
  );
};
