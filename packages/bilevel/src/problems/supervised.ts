// Scaffolding shared by the supervised bilevel test problems (ridge, logistic): checked train/validation data
// and the log-parametrised L2 regulariser ½ Σⱼ e^{λⱼ} wⱼ² (λ scalar or one per feature) of Pedregosa (2016).
import { asTensor, exp, mul, ShapeError, square, sum, type Tensor, type TensorLike } from "@x/tensor";

/** @internal Training and validation sets with d features each. */
export interface SupervisedData {
  X: Tensor;
  y: Tensor;
  Xv: Tensor;
  yv: Tensor;
  d: number;
}

/**
 * @internal Checks each set (X a matrix, y one `what` per row, then `checkY`), then that both have the same
 * number of features; errors are prefixed by `fn`.
 */
export function supervisedData(
  fn: string,
  what: string,
  data: { Xtr: TensorLike; ytr: TensorLike; Xval: TensorLike; yval: TensorLike },
  checkY?: (y: Tensor, yn: string) => void,
): SupervisedData {
  const X = asTensor(data.Xtr, "Xtr");
  const y = asTensor(data.ytr, "ytr");
  const Xv = asTensor(data.Xval, "Xval");
  const yv = asTensor(data.yval, "yval");
  const check = (A: Tensor, b: Tensor, xn: string, yn: string) => {
    if (A.rank !== 2) throw new ShapeError(`${fn}: ${xn} must be a matrix, got shape [${A.shape}]`);
    if (b.rank !== 1 || b.size !== A.shape[0]) {
      throw new ShapeError(`${fn}: ${yn} must be a vector of ${A.shape[0]} ${what}, got shape [${b.shape}]`);
    }
    checkY?.(b, yn);
  };
  check(X, y, "Xtr", "ytr");
  check(Xv, yv, "Xval", "yval");
  const d = X.shape[1]!;
  if (Xv.shape[1] !== d) throw new ShapeError(`${fn}: Xval has ${Xv.shape[1]} features, Xtr has ${d}`);
  return { X, y, Xv, yv, d };
}

/** @internal ½ Σⱼ e^{λⱼ} wⱼ². */
export const expL2 = (w: Tensor, lam: Tensor): Tensor => mul(0.5, sum(mul(exp(lam), square(w))));

/** @internal The regulariser's curvature bound at λ0: maxⱼ e^{λ0ⱼ}. */
export const expL2Lipschitz = (lam0: Tensor): number => Math.max(...Array.from(lam0.data, Math.exp));
