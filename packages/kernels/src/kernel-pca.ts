// Kernel PCA (Schölkopf, Smola & Müller, "Nonlinear Component Analysis as a Kernel Eigenvalue Problem", 1998): eigh of
// the doubly centred Gram matrix HKH; training scores U√λ; new points are projected with the same centring.
// Sign convention (as @x/linalg's eigh): each component's largest-|entry| eigenvector entry is positive.
import { eigh } from "@x/linalg";
import {
  add,
  div,
  fromData,
  matmul,
  mean,
  mul,
  reshape,
  sqrt,
  sub,
  type Tensor,
  type TensorLike,
  ValueError,
} from "@x/tensor";
import { asInputs, checkSameDim, type Kernel } from "./kernel.js";

export interface KernelPcaResult {
  /** Top eigenvalues of the centred Gram matrix, descending [k]. */
  eigenvalues: Tensor;
  /** Eigenvectors as columns [n, k]. */
  eigenvectors: Tensor;
  /** Training-point scores [n, k]. */
  scores: Tensor;
  transform(xs: TensorLike): Tensor;
}

export function kernelPca(kernel: Kernel, x: TensorLike, opts: { nComponents: number }): KernelPcaResult {
  const X = asInputs(x, "x");
  const n = X.shape[0]!;
  const k = opts.nComponents;
  if (!(Number.isInteger(k) && k >= 1 && k <= n)) {
    throw new ValueError(`kernelPca: nComponents must be an integer in [1, ${n}], got ${k}`);
  }
  const K = kernel.k(X);
  const rowMean = mean(K, { axis: 0 }); // [n]
  const all = mean(rowMean);
  const Kc = add(sub(sub(K, reshape(rowMean, [1, n])), reshape(rowMean, [n, 1])), all);
  const { values, vectors } = eigh(Kc);
  // eigh is ascending: take the last k columns, reversed.
  const idx = Array.from({ length: k }, (_, i) => n - 1 - i);
  const vals = values.data;
  const vec = vectors.data;
  const ev = new Float64Array(k);
  const U = new Float64Array(n * k);
  idx.forEach((c, j) => {
    ev[j] = vals[c]!;
    if (!(ev[j]! > 0))
      throw new ValueError(`kernelPca: component ${j + 1} has eigenvalue ${ev[j]} ≤ 0; lower nComponents`);
    for (let i = 0; i < n; i++) U[i * k + j] = vec[i * n + c]!;
  });
  const eigenvalues = fromData(ev, [k]);
  const eigenvectors = fromData(U, [n, k]);
  const rootLambda = reshape(sqrt(eigenvalues), [1, k]);
  const scores = mul(eigenvectors, rootLambda);
  return {
    eigenvalues,
    eigenvectors,
    scores,
    transform(xs: TensorLike) {
      const Xs = asInputs(xs, "xs");
      checkSameDim(X, Xs, "kernelPca.transform");
      const Ks = kernel.k(Xs, X); // [m, n]
      const ksMean = mean(Ks, { axis: 1, keepDims: true }); // [m, 1]
      const Ksc = add(sub(sub(Ks, ksMean), reshape(rowMean, [1, n])), all);
      return div(matmul(Ksc, eigenvectors), rootLambda);
    },
  };
}
