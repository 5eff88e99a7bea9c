// Kernel ridge regression: α = (K + λI)⁻¹ y, f(x*) = k(x*, X)·α (Saunders, Gammerman & Vovk 1998; the
// convention of scikit-learn's KernelRidge, whose `alpha` is our λ). Solved by Cholesky with the jitter policy.
import { choleskySolve } from "@x/linalg";
import { add, asTensor, eye, matmul, mul, ShapeError, type Tensor, type TensorLike, ValueError } from "@x/tensor";
import { choleskyJitter } from "./jitter.js";
import { asInputs, checkSameDim, type Kernel } from "./kernel.js";

export interface KernelRidgeResult {
  /** Dual coefficients α [n] (or [n, k] for several targets). */
  alpha: Tensor;
  predict(xs: TensorLike): Tensor;
}

/** Checks y against n rows (vector or matrix of targets). */
export function asTargets(y: TensorLike, n: number, where: string): Tensor {
  const Y = asTensor(y, "y");
  if ((Y.rank !== 1 && Y.rank !== 2) || Y.shape[0] !== n) {
    throw new ShapeError(`${where}: y must have one row per point (${n}), got shape [${Y.shape}]`);
  }
  return Y;
}

export function kernelRidge(kernel: Kernel, x: TensorLike, y: TensorLike, opts: { lambda: number }): KernelRidgeResult {
  const X = asInputs(x, "x");
  const n = X.shape[0]!;
  const Y = asTargets(y, n, "kernelRidge");
  const { lambda } = opts;
  if (!(Number.isFinite(lambda) && lambda >= 0))
    throw new ValueError(`kernelRidge: lambda must be finite and ≥ 0, got ${lambda}`);
  const { l } = choleskyJitter(add(kernel.k(X), mul(lambda, eye(n))), "kernelRidge");
  const alpha = choleskySolve(l, Y);
  return {
    alpha,
    predict(xs: TensorLike) {
      const Xs = asInputs(xs, "xs");
      checkSameDim(X, Xs, "kernelRidge.predict");
      return matmul(kernel.k(Xs, X), alpha);
    },
  };
}
