// Pairwise cost matrices between point clouds (POT's ot.dist) and cost normalisation.

import * as X from "@x/tensor";
import {
  abs,
  asTensor,
  div,
  max,
  mean,
  ShapeError,
  sqrt,
  sum,
  type Tensor,
  type TensorLike,
  ValueError,
} from "@x/tensor";

export type Metric = "sqeuclidean" | "euclidean" | "cityblock" | "cosine";

function points(x: TensorLike, name: string): Tensor {
  const t = asTensor(x, name);
  if (t.rank === 1) return X.reshape(t, [t.shape[0]!, 1]);
  if (t.rank !== 2)
    throw new ShapeError(`${name} must be an (n, d) array of points, got shape [${t.shape.join(", ")}]`);
  return t;
}

/**
 * Cost matrix C[i, j] = d(x_i, y_j) for the given metric (default squared Euclidean, as POT).
 * Built from differentiable ops, so gradients flow to point positions. y defaults to x.
 */
export function dist(x: TensorLike, y?: TensorLike, metric: Metric = "sqeuclidean"): Tensor {
  const xs = points(x, "x");
  const ys = y === undefined ? xs : points(y, "y");
  if (xs.shape[1] !== ys.shape[1]) {
    throw new ShapeError(`x and y must have the same dimension: x is [${xs.shape}], y is [${ys.shape}]`);
  }
  X.assertFinite(xs.data, "x");
  X.assertFinite(ys.data, "y");
  const diff = () => X.sub(X.expandDims(xs, 1), X.expandDims(ys, 0));
  switch (metric) {
    case "sqeuclidean":
      return X.pairwiseSqDist(xs, ys);
    case "euclidean": {
      // sqrt has an infinite derivative at 0; the direct difference keeps the value exact, and
      // the tiny floor keeps the gradient finite at coincident points.
      return sqrt(X.maximum(sum(X.square(diff()), { axis: 2 }), 1e-300));
    }
    case "cityblock":
      return sum(abs(diff()), { axis: 2 });
    case "cosine": {
      const nx = X.norm(xs, { axis: 1, keepDims: true });
      const ny = X.norm(ys, { axis: 1, keepDims: true });
      if (nx.data.some((v) => v === 0) || ny.data.some((v) => v === 0)) {
        throw new ValueError("cosine distance is undefined for a zero vector in x or y");
      }
      return X.sub(1, X.matmul(div(xs, nx), X.mT(div(ys, ny))));
    }
    default:
      throw new ValueError(`metric must be sqeuclidean, euclidean, cityblock or cosine, got ${String(metric)}`);
  }
}

export type CostNormalization = "max" | "mean" | "median" | "log" | "loglog";

/** Rescales a cost matrix like POT's cost_normalization ("max", "mean", "median", "log", "loglog"). */
export function normalizeCost(C: TensorLike, norm: CostNormalization = "max"): Tensor {
  const c = asTensor(C, "C");
  X.assertFinite(c.data, "C");
  switch (norm) {
    case "max":
      return div(c, max(c));
    case "mean":
      return div(c, mean(c));
    case "median": {
      const s = Float64Array.from(c.data).sort();
      const k = s.length >> 1;
      const med = s.length % 2 ? s[k]! : (s[k - 1]! + s[k]!) / 2;
      return div(c, med);
    }
    case "log":
      return X.log1p(c);
    case "loglog":
      return X.log1p(X.log1p(c));
    default:
      throw new ValueError(`norm must be max, mean, median, log or loglog, got ${String(norm)}`);
  }
}
