// Ridge regression with a learnable (log) regulariser, the standard closed-form bilevel test problem
// (Pedregosa, "Hyperparameter optimization with approximate gradient", ICML 2016):
//   g(w, λ) = ½‖X w − y‖² + ½ Σⱼ e^{λⱼ} wⱼ²   (λ scalar or one per feature; same argmin as scikit-learn's
//   Ridge(alpha = e^λ, fit_intercept=False)),   f(w) = ½‖X_val w − y_val‖².
// Closed form: w* = H⁻¹Xᵀy with H = XᵀX + diag(α), and d f/dλⱼ = −αⱼ wⱼ (H⁻¹∇f)ⱼ.
import { solve } from "@x/linalg";
import {
  add,
  asTensor,
  matmul,
  mul,
  ShapeError,
  square,
  sub,
  sum,
  type Tensor,
  type TensorLike,
  take,
  tensor,
  transpose,
} from "@x/tensor";
import { expL2, expL2Lipschitz, supervisedData } from "./supervised.js";
import type { BilevelProblem } from "./types.js";

export interface RidgeProblem extends BilevelProblem {
  /** w*(λ), f(w*(λ)) and ∇λ f by the closed form (independent of any autodiff). */
  closedForm(lambda: TensorLike): { w: Tensor; value: number; grad: Tensor };
}

export function ridgeProblem(
  Xtr: TensorLike,
  ytr: TensorLike,
  Xval: TensorLike,
  yval: TensorLike,
  lambda0: TensorLike = 0,
): RidgeProblem {
  const { X, y, Xv, yv, d } = supervisedData("ridge", "targets", { Xtr, ytr, Xval, yval });
  const lam0 = asTensor(lambda0, "lambda0");
  if (!(lam0.size === 1 || (lam0.rank === 1 && lam0.size === d))) {
    throw new ShapeError(`ridge: lambda must be a scalar or a vector of ${d} log-regularisers, got [${lam0.shape}]`);
  }
  const XtX = matmul(transpose(X), X);
  const Xty = matmul(y, X);
  const inner = (w: Tensor, lam: Tensor) => add(mul(0.5, sum(square(sub(matmul(X, w), y)))), expL2(w, lam));
  const outer = (w: Tensor) => mul(0.5, sum(square(sub(matmul(Xv, w), yv))));
  // Minibatch estimates: the data-fit sums rescaled by n/|batch|, the regulariser kept whole.
  const n = X.shape[0]!;
  const nv = Xv.shape[0]!;
  const fit = (A: Tensor, b: Tensor, w: Tensor, idx: readonly number[], total: number) =>
    mul((0.5 * total) / idx.length, sum(square(sub(matmul(take(A, idx), w), take(b, idx)))));
  const batch = {
    nInner: n,
    nOuter: nv,
    inner: (w: Tensor, lam: Tensor, idx: readonly number[]) => add(fit(X, y, w, idx, n), expL2(w, lam)),
    outer: (w: Tensor, _lam: Tensor, idx: readonly number[]) => fit(Xv, yv, w, idx, nv),
  };
  // ‖XᵀX‖ ≤ trace; plus the largest regulariser at λ0.
  let tr = 0;
  for (let i = 0; i < d; i++) tr += XtX.data[i * d + i]!;
  const innerLipschitz = tr + expL2Lipschitz(lam0);
  const closedForm = (lambdaIn: TensorLike) => {
    const lam = asTensor(lambdaIn, "lambda");
    const alpha = Array.from(lam.size === 1 ? new Float64Array(d).fill(lam.data[0]!) : lam.data, Math.exp);
    const H = Float64Array.from(XtX.data);
    for (let j = 0; j < d; j++) H[j * d + j]! += alpha[j]!;
    const Hm = tensor(H, [d, d]);
    const w = solve(Hm, Xty);
    const r = sub(matmul(Xv, w), yv);
    const gradF = matmul(r, Xv);
    const z = solve(Hm, gradF).data;
    const g = alpha.map((a, j) => -a * w.data[j]! * z[j]!);
    const grad = lam.size === 1 ? tensor([g.reduce((s, v) => s + v, 0)], lam.shape) : tensor(g);
    return { w, value: 0.5 * sum(square(r)).item(), grad };
  };
  return {
    name: "ridge",
    inner,
    outer,
    x0: mul(0, Xty),
    lambda0: lam0,
    innerLipschitz,
    closedForm,
    batch,
  };
}
