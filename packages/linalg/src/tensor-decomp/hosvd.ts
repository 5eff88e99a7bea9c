// Truncated higher-order SVD (De Lathauwer, De Moor & Vandewalle, "A multilinear singular value
// decomposition", SIAM J. Matrix Anal. Appl. 21 (2000)): U_n = leading left singular vectors of X_(n),
// core G = X ×_1 U_1ᵀ ⋯ ×_N U_Nᵀ. Error bound (their Property 10):
//   ‖X − G ×_1 U_1 ⋯ ×_N U_N‖² ≤ Σ_n Σ_{i > r_n} σ_i(X_(n))².
// With a tolerance, each mode may discard at most tol²‖X‖²/N, so the bound is ≤ tol²‖X‖².
import { asTensor, slice, type Tensor, type TensorLike, ValueError } from "@x/tensor";
import { svd } from "../dense/svd.js";
import { multiModeProduct, unfold } from "./mode-n.js";

export interface TuckerOptions {
  /** Multilinear ranks, one per mode (1 ≤ r_n ≤ I_n). */
  ranks?: readonly number[];
  /** Relative tolerance: pick the smallest ranks with error bound ≤ tol·‖X‖. Default 1e-12 without ranks. */
  tol?: number;
}

export interface TuckerResult {
  /** Core tensor [r_0, …, r_{N−1}]. */
  core: Tensor;
  /** Factor matrices U_n [I_n, r_n] with orthonormal columns. */
  factors: Tensor[];
  ranks: number[];
  /** sqrt(Σ discarded σ²): an upper bound on ‖X − X̂‖_F (exact for ST-HOSVD). */
  errorBound: number;
}

/** Validates options; returns the requested ranks or null for tolerance-driven selection. */
export function tuckerRanks(X: Tensor, opts: TuckerOptions, fn: string): { ranks: number[] | null; tol: number } {
  if (X.rank < 1) throw new ValueError(`${fn}: x must have at least one axis, got shape [${X.shape}]`);
  const tol = opts.tol ?? 1e-12;
  if (!(tol >= 0 && Number.isFinite(tol)))
    throw new ValueError(`${fn}: options.tol must be a finite number ≥ 0, got ${tol}`);
  if (!opts.ranks) return { ranks: null, tol };
  const r = [...opts.ranks];
  if (r.length !== X.rank)
    throw new ValueError(`${fn}: options.ranks needs ${X.rank} entries (one per mode), got ${r.length}`);
  r.forEach((k, n) => {
    if (!Number.isInteger(k) || k < 1 || k > X.shape[n]!) {
      throw new ValueError(
        `${fn}: options.ranks[${n}] must be an integer in [1, ${X.shape[n]}] (the mode size), got ${k}`,
      );
    }
  });
  return { ranks: r, tol };
}

/** Smallest r with Σ_{i ≥ r} σ_i² ≤ budget (at least 1). */
export function rankFor(s: Float64Array, budget: number): number {
  let tail = 0;
  let r = s.length;
  while (r > 1 && tail + s[r - 1]! ** 2 <= budget) {
    tail += s[r - 1]! ** 2;
    r--;
  }
  return r;
}

export const tailSq = (s: Float64Array, r: number): number => {
  let t = 0;
  for (let i = r; i < s.length; i++) t += s[i]! ** 2;
  return t;
};

/** Leading r left singular vectors of m (full U when r exceeds min(m, n)). */
export function leadingU(m: Tensor, r: number): { u: Tensor; s: Float64Array } {
  const k = Math.min(m.shape[0]!, m.shape[1]!);
  const f = svd(m, { fullMatrices: r > k });
  return { u: slice(f.u, [null, [0, r]]), s: Float64Array.from(f.s.data) };
}

export const normSq = (X: Tensor): number => {
  let s = 0;
  for (const v of X.data) s += v * v;
  return s;
};

/** Truncated HOSVD of x with fixed ranks or a relative tolerance (tail-bound rank selection). */
export function hosvd(x: TensorLike, options: TuckerOptions = {}): TuckerResult {
  const X = asTensor(x, "x");
  const { ranks, tol } = tuckerRanks(X, options, "hosvd");
  const N = X.rank;
  const budget = (tol * tol * normSq(X)) / N;
  const factors: Tensor[] = [];
  const chosen: number[] = [];
  let bound = 0;
  for (let n = 0; n < N; n++) {
    const M = unfold(X, n);
    const k = Math.min(M.shape[0]!, M.shape[1]!);
    const sv = svd(M, { computeUV: false }).s.data;
    const r = ranks ? ranks[n]! : Math.min(rankFor(Float64Array.from(sv), budget), k);
    const { u, s } = leadingU(M, r);
    bound += tailSq(s, r);
    factors.push(u);
    chosen.push(r);
  }
  const core = multiModeProduct(X, factors, true);
  return { core, factors, ranks: chosen, errorBound: Math.sqrt(bound) };
}

/** X̂ = core ×_1 U_1 ⋯ ×_N U_N. */
export function tuckerToTensor(core: TensorLike, factors: readonly Tensor[]): Tensor {
  return multiModeProduct(core, factors);
}
