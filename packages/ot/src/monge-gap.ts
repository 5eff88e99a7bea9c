// Monge gap of a map T on samples x: mean c(x_i, T(x_i)) − OT_c(μ_n, T#μ_n) ≥ 0, zero iff T is an
// optimal (c-cyclically monotone) map on the samples. Method: Uscidda & Cuturi, "The Monge gap: a
// regularizer to learn all transport maps" (ICML 2023). Differentiable w.r.t. T(x) and x.
import * as X from "@x/tensor";
import { asTensor, ShapeError, type Tensor, type TensorLike } from "@x/tensor";
import { dist, type Metric } from "./dist.js";
import { emd2 } from "./emd.js";
import { sinkhorn2 } from "./sinkhorn.js";

export interface MongeGapOptions {
  /** Cost (default squared Euclidean). */
  metric?: Metric;
  /** If set, use the linear entropic OT value with this reg instead of exact OT (then the gap may dip below 0 by O(reg)). */
  reg?: number;
}

/** Monge gap of the displacement x_i ↦ tx_i (both (n, d)), with uniform weights. */
export function mongeGap(x: TensorLike, tx: TensorLike, opts: MongeGapOptions = {}): Tensor {
  const xs = asTensor(x, "x");
  const ts = asTensor(tx, "tx");
  if (xs.rank !== 2 || ts.rank !== 2 || xs.shape[0] !== ts.shape[0] || xs.shape[1] !== ts.shape[1]) {
    throw new ShapeError(`x and tx must both be (n, d) with the same shape, got [${xs.shape}] and [${ts.shape}]`);
  }
  const metric = opts.metric ?? "sqeuclidean";
  const C = dist(xs, ts, metric);
  const n = xs.shape[0]!;
  // Mean displacement cost: the diagonal of C.
  const moved = X.div(X.sum(X.mul(C, X.eye(n))), n);
  const ot = opts.reg === undefined ? emd2([], [], C) : sinkhorn2([], [], C, opts.reg, { method: "log" });
  return X.sub(moved, ot);
}
