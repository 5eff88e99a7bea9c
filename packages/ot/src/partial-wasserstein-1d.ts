// Exact partial OT between 1-D empirical measures: move mass m of Σ a_i δ(u_i) onto Σ b_j δ(v_j) at
// cost |u_i − v_j|^p. Reduction (valid for any p ≥ 1 and any masses, unlike sort-based greedy
// schemes that need uniform weights): the |u − v|^p cost matrix solved by the dummy-point network
// simplex of `partialWasserstein` (Chapel, Alaya & Gasso, NeurIPS 2020). O(n1 n2) memory, so it
// suits moderate n (a few thousand points).
import { fromData, ShapeError, type TensorLike, ValueError } from "@x/tensor";
import { vec } from "./internal/validate.js";
import { type PartialResult, partialWasserstein } from "./partial.js";
import { checkP } from "./wasserstein-1d.js";

export interface PartialWasserstein1dOptions {
  /** Source weights (default uniform 1/n1); not normalised, partial OT allows unequal masses. */
  uWeights?: TensorLike;
  vWeights?: TensorLike;
  /** Ground cost exponent, |u − v|^p (default 1). */
  p?: number;
}

/** Exact partial W_p^p plan in 1-D moving mass m (default min of the two total masses). */
export function partialWasserstein1d(
  u: TensorLike,
  v: TensorLike,
  m?: number,
  opts: PartialWasserstein1dOptions = {},
): PartialResult {
  const p = opts.p ?? 1;
  checkP(p);
  const uv = vec(u, "u");
  const vv = vec(v, "v");
  if (uv.length === 0 || vv.length === 0) throw new ShapeError("u and v must have at least one sample");
  for (const [x, name] of [
    [uv, "u"],
    [vv, "v"],
  ] as const) {
    x.forEach((val, k) => {
      if (!Number.isFinite(val)) throw new ValueError(`${name} must be finite, found ${val} at entry ${k}`);
    });
  }
  const M = new Float64Array(uv.length * vv.length);
  for (let i = 0; i < uv.length; i++) {
    for (let j = 0; j < vv.length; j++) M[i * vv.length + j] = Math.abs(uv[i]! - vv[j]!) ** p;
  }
  return partialWasserstein(opts.uWeights, opts.vWeights, fromData(M, [uv.length, vv.length]), m);
}
