// Sequentially truncated HOSVD (Vannieuwenhoven, Vandebril & Meerbergen, "A new truncation strategy for
// the higher-order singular value decomposition", SIAM J. Sci. Comput. 34 (2012)): mode by mode,
// the SVD of the *already truncated* core's unfolding gives U_n and the next core S ← S ×_n U_nᵀ.
// Cheaper than HOSVD, and the error is exactly ‖X − X̂‖² = Σ_n Σ_{i > r_n} σ_i(S^{(n−1)}_(n))²
// (their Thm 6.5), which the tolerance-driven rank choice splits evenly as tol²‖X‖²/N per mode.
import { asTensor, matmul, mT, type Tensor, type TensorLike } from "@x/tensor";
import { svd } from "../dense/svd.js";
import { leadingU, normSq, rankFor, type TuckerOptions, type TuckerResult, tailSq, tuckerRanks } from "./hosvd.js";
import { fold, unfold } from "./mode-n.js";

/** ST-HOSVD of x with fixed ranks or a relative tolerance; returns core, factors, ranks, errorBound. */
export function stHosvd(x: TensorLike, options: TuckerOptions = {}): TuckerResult {
  const X = asTensor(x, "x");
  const { ranks, tol } = tuckerRanks(X, options, "stHosvd");
  const N = X.rank;
  const budget = (tol * tol * normSq(X)) / N;
  let core: Tensor = X;
  const factors: Tensor[] = [];
  const chosen: number[] = [];
  let err = 0;
  for (let n = 0; n < N; n++) {
    const M = unfold(core, n);
    const k = Math.min(M.shape[0]!, M.shape[1]!);
    let r: number;
    if (ranks) r = ranks[n]!;
    else {
      const s = Float64Array.from(svd(M, { computeUV: false }).s.data);
      r = Math.min(rankFor(s, budget), k);
    }
    const { u, s } = leadingU(M, r);
    err += tailSq(s, r);
    factors.push(u);
    chosen.push(r);
    const shape = [...core.shape];
    shape[n] = r;
    core = fold(matmul(mT(u), M), n, shape);
  }
  return { core, factors, ranks: chosen, errorBound: Math.sqrt(err) };
}
