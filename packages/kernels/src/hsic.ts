// Hilbert–Schmidt independence criterion (Gretton, Bousquet, Smola & Schölkopf, ALT 2005): the biased estimator
// HSIC_b = tr(K H L H)/(n − 1)² (Theorem 1) and the unbiased estimator of Song et al. (JMLR 2012, eq. 5).
import { add, eye, mean, mul, reshape, sub, sum, type Tensor, type TensorLike, ValueError } from "@x/tensor";
import { asInputs, type Kernel } from "./kernel.js";

/** Doubly centred H K H. */
function centre(K: Tensor): Tensor {
  const n = K.shape[0]!;
  const r = mean(K, { axis: 0 });
  return add(sub(sub(K, reshape(r, [1, n])), reshape(r, [n, 1])), mean(r));
}

/** HSIC between paired samples x [n, dx] and y [n, dy] with kernels kx, ky. */
export function hsic(
  kx: Kernel,
  ky: Kernel,
  x: TensorLike,
  y: TensorLike,
  opts: { estimator?: "biased" | "unbiased" } = {},
): Tensor {
  const X = asInputs(x, "x");
  const Y = asInputs(y, "y");
  const n = X.shape[0]!;
  if (Y.shape[0] !== n) throw new ValueError(`hsic: x and y must be paired (same n), got ${n} and ${Y.shape[0]}`);
  const K = kx.k(X);
  const L = ky.k(Y);
  if ((opts.estimator ?? "biased") === "biased") {
    if (n < 2) throw new ValueError(`hsic: needs n ≥ 2, got ${n}`);
    return mul(1 / (n - 1) ** 2, sum(mul(centre(K), L)));
  }
  if (n < 4) throw new ValueError(`hsic (unbiased): needs n ≥ 4, got ${n}`);
  // Zero the diagonals: K̃, L̃.
  const off = (A: Tensor, d: Tensor) => sub(A, mul(reshape(d, [n, 1]), eye(n)));
  const Kt = off(K, kx.diag(X));
  const Lt = off(L, ky.diag(Y));
  const t1 = sum(mul(Kt, Lt));
  const t2 = mul(sum(Kt), mul(sum(Lt), 1 / ((n - 1) * (n - 2))));
  const t3 = mul(-2 / (n - 2), sum(mul(sum(Kt, { axis: 0 }), sum(Lt, { axis: 0 }))));
  return mul(1 / (n * (n - 3)), add(add(t1, t2), t3));
}
