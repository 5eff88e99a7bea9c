// Maximum mean discrepancy between samples x ~ P and y ~ Q (Gretton, Borgwardt, Rasch, Schölkopf & Smola, "A Kernel
// Two-Sample Test", JMLR 2012): the biased V-statistic MMD²_b (eq. 5), the unbiased U-statistic MMD²_u (eq. 3,
// diagonals removed) and the linear-time statistic MMD²_l (Lemma 14, pairs (x₂ᵢ₋₁, x₂ᵢ)). Differentiable in x, y
// and the kernel's parameters (built from tensor ops).
import { add, mean, mul, slice, sub, sum, type Tensor, type TensorLike, ValueError } from "@x/tensor";
import { asInputs, checkSameDim, type Kernel, kernelPairs } from "./kernel.js";

export type MmdEstimator = "biased" | "unbiased" | "linear";

function offDiagMean(K: Tensor, diag: Tensor): Tensor {
  const n = K.shape[0]!;
  return mul(1 / (n * (n - 1)), sub(sum(K), sum(diag)));
}

/** Squared MMD estimate between the rows of x [n, d] and y [m, d]. */
export function mmd2(kernel: Kernel, x: TensorLike, y: TensorLike, opts: { estimator?: MmdEstimator } = {}): Tensor {
  const X = asInputs(x, "x");
  const Y = asInputs(y, "y");
  checkSameDim(X, Y, "mmd2");
  const est = opts.estimator ?? "unbiased";
  const n = X.shape[0]!;
  const m = Y.shape[0]!;
  if (est === "biased") {
    return add(sub(mean(kernel.k(X)), mul(2, mean(kernel.k(X, Y)))), mean(kernel.k(Y)));
  }
  if (est === "unbiased") {
    if (n < 2 || m < 2) throw new ValueError(`mmd2 (unbiased): needs at least 2 points in x and y, got ${n} and ${m}`);
    return add(
      sub(offDiagMean(kernel.k(X), kernel.diag(X)), mul(2, mean(kernel.k(X, Y)))),
      offDiagMean(kernel.k(Y), kernel.diag(Y)),
    );
  }
  if (est === "linear") {
    if (n !== m || n < 2)
      throw new ValueError(`mmd2 (linear): needs x and y with the same n ≥ 2 rows, got ${n} and ${m}`);
    const h = Math.floor(n / 2);
    const a = (t: Tensor, off: number) => slice(t, [[off, 2 * h, 2]]);
    const [x1, x2, y1, y2] = [a(X, 0), a(X, 1), a(Y, 0), a(Y, 1)];
    // h((x,y),(x',y')) = k(x,x') + k(y,y') − k(x,y') − k(x',y), evaluated pairwise (diag of the cross kernels).
    const pair = (u: Tensor, v: Tensor) => kernelPairs(kernel, u, v);
    return mean(sub(add(pair(x1, x2), pair(y1, y2)), add(pair(x1, y2), pair(x2, y1))));
  }
  throw new ValueError(`mmd2: estimator must be "biased", "unbiased" or "linear", got ${String(est)}`);
}
