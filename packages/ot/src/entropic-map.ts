// Maps from OT plans: the barycentric projection of a plan, and the entropic map estimator
// T(z) = Σ_j y_j softmax_j((g_j − ‖z − y_j‖²)/reg), extending the Sinkhorn potential g out of sample.
// Method: Pooladian & Niles-Weed, "Entropic estimation of optimal transport maps" (2021);
// Seguy et al., "Large-scale optimal transport and mapping estimation" (ICLR 2018) for the projection.
import * as X from "@x/tensor";
import { asTensor, ShapeError, type Tensor, type TensorLike } from "@x/tensor";
import { dist } from "./dist.js";
import { type SinkhornOptions, type SinkhornResult, sinkhorn } from "./sinkhorn.js";

/** Row-normalised plan times target points: x_i ↦ Σ_j P_ij y_j / Σ_j P_ij. */
export function barycentricProjection(plan: TensorLike, y: TensorLike): Tensor {
  const P = asTensor(plan, "plan");
  const Y = asTensor(y, "y");
  if (P.rank !== 2 || Y.rank !== 2 || P.shape[1] !== Y.shape[0]) {
    throw new ShapeError(`plan (n, m) and y (m, d) do not match: [${P.shape}] and [${Y.shape}]`);
  }
  return X.div(X.matmul(P, Y), X.sum(P, { axis: 1, keepDims: true }));
}

export interface EntropicMapResult {
  /** The estimated map, applicable to any points z (k, d); differentiable in z. */
  map: (z: TensorLike) => Tensor;
  sinkhorn: SinkhornResult;
}

/** Entropic OT map estimator between samples x (n, d) and y (m, d) for the squared Euclidean cost. */
export function entropicMap(
  x: TensorLike,
  y: TensorLike,
  reg: number,
  opts: SinkhornOptions & { a?: TensorLike; b?: TensorLike } = {},
): EntropicMapResult {
  const Y = asTensor(y, "y");
  const M = dist(x, Y);
  const r = sinkhorn(opts.a ?? [], opts.b ?? [], M, reg, { method: "log", ...opts });
  const m = Y.shape[0]!;
  const logb = X.log(opts.b === undefined ? X.full([m], 1 / m) : asTensor(opts.b, "b"));
  const g = r.g;
  const map = (z: TensorLike) => {
    // Weights over target points: b_j exp((g_j − ‖z − y_j‖²)/reg), normalised (a softmax).
    const logits = X.add(X.div(X.sub(X.reshape(g, [1, m]), dist(z, Y)), reg), X.reshape(logb, [1, m]));
    return X.matmul(X.softmax(logits, 1), Y);
  };
  return { map, sinkhorn: r };
}
