// Sliced and max-sliced Wasserstein distances: average (or maximum) of exact 1-D W_p^p over
// projections onto directions θ_k. Method: Rabin, Peyré, Delon & Bernot, "Wasserstein barycenter and
// its application to texture mixing" (SSVM 2011); Deshpande et al., "Max-sliced Wasserstein distance"
// (CVPR 2019); POT's sliced_wasserstein_distance. Differentiable w.r.t. the point positions.
import * as X from "@x/tensor";
import { asTensor, ShapeError, type Tensor, type TensorLike } from "@x/tensor";
import { checkP, wasserstein1d } from "./wasserstein-1d.js";

export interface SlicedOptions {
  /** Sample weights (default uniform). */
  a?: TensorLike;
  b?: TensorLike;
  /** Number of random directions (default 50) drawn uniformly on the sphere from `seed` (default 0). */
  nProjections?: number;
  seed?: number;
  /** Explicit directions, shape (nProjections, d) — rows should be unit vectors. */
  projections?: TensorLike;
  /** Order of the distance (default 2). */
  p?: number;
}

function projectedCosts(xs: TensorLike, xt: TensorLike, opts: SlicedOptions): Tensor[] {
  const p = opts.p ?? 2;
  checkP(p);
  const x = asTensor(xs, "xs");
  const y = asTensor(xt, "xt");
  if (x.rank !== 2 || y.rank !== 2 || x.shape[1] !== y.shape[1]) {
    throw new ShapeError(`xs and xt must be (n, d) and (m, d) point sets, got [${x.shape}] and [${y.shape}]`);
  }
  const d = x.shape[1]!;
  const theta =
    opts.projections !== undefined
      ? asTensor(opts.projections, "projections")
      : X.sphere(X.rng(opts.seed ?? 0), opts.nProjections ?? 50, d);
  if (theta.rank !== 2 || theta.shape[1] !== d) {
    throw new ShapeError(`projections must have shape (k, ${d}), got [${theta.shape}]`);
  }
  const px = X.matmul(x, X.mT(theta));
  const py = X.matmul(y, X.mT(theta));
  const k = theta.shape[0]!;
  const out: Tensor[] = [];
  for (let i = 0; i < k; i++) {
    const col = (t: Tensor) =>
      X.reshape(
        X.slice(t, [
          [0, t.shape[0]!],
          [i, i + 1],
        ]),
        [t.shape[0]!],
      );
    out.push(wasserstein1d(col(px), col(py), opts.a, opts.b, p));
  }
  return out;
}

/** SW_p = (mean_k W_p^p(θ_kᵀ xs, θ_kᵀ xt))^(1/p), as POT's sliced_wasserstein_distance. */
export function slicedWassersteinDistance(xs: TensorLike, xt: TensorLike, opts: SlicedOptions = {}): Tensor {
  const c = projectedCosts(xs, xt, opts);
  return X.pow(X.mean(X.stack(c)), 1 / (opts.p ?? 2));
}

/** max-SW_p = (max_k W_p^p(θ_kᵀ xs, θ_kᵀ xt))^(1/p) over the given or sampled directions. */
export function maxSlicedWassersteinDistance(xs: TensorLike, xt: TensorLike, opts: SlicedOptions = {}): Tensor {
  const c = projectedCosts(xs, xt, opts);
  return X.pow(X.max(X.stack(c)), 1 / (opts.p ?? 2));
}
