// Randomized SVD: range finder, then the SVD of the small B = QᵀA (Halko, Martinsson & Tropp 2011, Alg. 5.1).
import { type Tensor, tensor } from "@x/tensor";
import { svd } from "../dense/svd.js";
import type { OperatorInput } from "../spectral/common.js";
import { ab, applyCols } from "./common.js";
import { type RangeFinderOptions, rangeFinderRaw } from "./randomized-range-finder.js";

/** Rank-k truncated SVD A ≈ U diag(s) Vᵀ: u m×k, s k (descending), vt k×n. */
export function randomizedSvd(
  A: OperatorInput,
  k: number,
  opts: RangeFinderOptions = {},
): { u: Tensor; s: Tensor; vt: Tensor } {
  const { op, Q, m, n, l } = rangeFinderRaw(A, k, opts, "randomizedSvd");
  // Bᵀ = AᵀQ (n×l); transpose to B (l×n).
  const Bt = applyCols(op, Q, l, true);
  const B = new Float64Array(l * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < l; j++) B[j * n + i] = Bt[i * l + j]!;
  const r = svd(tensor(B, [l, n]));
  const ub = r.u.data; // l×l
  const U = ab(Q, Float64Array.from(ub), m, l, l);
  const u = new Float64Array(m * k);
  for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) u[i * k + j] = U[i * l + j]!;
  const s = Float64Array.from(r.s.data.subarray(0, k));
  const vt = Float64Array.from(r.vt.data.subarray(0, k * n));
  return { u: tensor(u, [m, k]), s: tensor(s, [k]), vt: tensor(vt, [k, n]) };
}
