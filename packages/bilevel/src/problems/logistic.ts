// L2-regularised logistic regression with a learnable (log) regularisation strength — hyperparameter
// selection by validation loss (the classic example of Pedregosa 2016 and JAXopt):
//   g(w, λ) = Σᵢ log(1 + exp(−yᵢ xᵢᵀw)) + ½ Σⱼ e^{λⱼ} wⱼ²   (labels ±1; same argmin as scikit-learn's
//   LogisticRegression(C = e^{−λ}, fit_intercept=False)),   f(w) = Σ validation log-losses.
import {
  add,
  asTensor,
  matmul,
  mul,
  neg,
  softplus,
  sum,
  type Tensor,
  type TensorLike,
  take,
  ValueError,
  zeros,
} from "@x/tensor";
import { expL2, expL2Lipschitz, supervisedData } from "./supervised.js";
import type { BilevelProblem } from "./types.js";

/** Sum of log(1 + exp(−y·Xw)), stable for any margin. */
export const logLoss = (X: Tensor, y: Tensor, w: Tensor): Tensor => sum(softplus(neg(mul(y, matmul(X, w)))));

export function logisticProblem(
  Xtr: TensorLike,
  ytr: TensorLike,
  Xval: TensorLike,
  yval: TensorLike,
  lambda0: TensorLike = 0,
): BilevelProblem {
  const { X, y, Xv, yv, d } = supervisedData("logistic", "labels", { Xtr, ytr, Xval, yval }, (labels, yn) => {
    if (!labels.data.every((v) => v === 1 || v === -1)) throw new ValueError(`logistic: ${yn} must hold labels ±1`);
  });
  const lam0 = asTensor(lambda0, "lambda0");
  let fro = 0;
  for (const v of X.data) fro += v * v;
  const batchLoss = (A: Tensor, b: Tensor, w: Tensor, idx: readonly number[]) =>
    mul(A.shape[0]! / idx.length, logLoss(take(A, idx), take(b, idx), w));
  return {
    name: "logistic-l2",
    inner: (w, lam) => add(logLoss(X, y, w), expL2(w, lam)),
    outer: (w) => logLoss(Xv, yv, w),
    x0: zeros([d]),
    lambda0: lam0,
    // ∇² of the log-loss ≤ ¼ XᵀX.
    innerLipschitz: fro / 4 + expL2Lipschitz(lam0),
    batch: {
      nInner: X.shape[0]!,
      nOuter: Xv.shape[0]!,
      inner: (w, lam, idx) => add(batchLoss(X, y, w, idx), expL2(w, lam)),
      outer: (w, _lam, idx) => batchLoss(Xv, yv, w, idx),
    },
  };
}
