// Softmax family, all shifted by a gradient-stopped max (exact, overflow-free).
import { normalizeAxis } from "../shape.js";
import { asTensor, type Tensor, type TensorLike } from "../tensor.js";
import { div, greaterEqual, sub, where } from "./binary.js";
import { logsumexp, sum } from "./reduce.js";
import { exp, log } from "./unary.js";

/** log softmax along `axis` (default last): x − logsumexp(x). */
export function logSoftmax(x: TensorLike, axis = -1): Tensor {
  const t = asTensor(x);
  const ax = normalizeAxis(axis, t.rank, "logSoftmax");
  return sub(t, logsumexp(t, { axis: ax, keepDims: true }));
}

/** softmax along `axis` (default last). */
export function softmax(x: TensorLike, axis = -1): Tensor {
  return exp(logSoftmax(x, axis));
}

/**
 * StableMax (Prieto et al., "Grokking at the edge of numerical stability", 2025): softmax with exp
 * replaced by s(x) = x + 1 for x ≥ 0 and 1/(1 − x) for x < 0, which grows linearly and cannot
 * drive probabilities to exactly 0 or 1 in floating point ("softmax collapse").
 */
export function stableMax(x: TensorLike, axis = -1): Tensor {
  const t = asTensor(x);
  const ax = normalizeAxis(axis, t.rank, "stableMax");
  const pos = greaterEqual(t, 0);
  // Both branches are evaluated; clamp the inactive side so neither produces Inf/NaN.
  const s = where(pos, sub(where(pos, t, 0), -1), div(1, sub(1, where(pos, 0, t))));
  return div(s, sum(s, { axis: ax, keepDims: true }));
}

/** log of StableMax probabilities (a numerically safe cross-entropy input). */
export function logStableMax(x: TensorLike, axis = -1): Tensor {
  return log(stableMax(x, axis));
}
