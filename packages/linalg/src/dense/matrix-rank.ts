// Numerical rank: the number of singular values above a threshold (Golub & Van Loan, §5.4.1), with
// numpy.linalg.matrix_rank's default tol = σ_max·max(m, n)·ε.
import { asTensor, type Tensor, type TensorLike, tensor, ValueError } from "@x/tensor";
import { matInfo } from "./common.js";
import { svdvals } from "./svd.js";

export interface MatrixRankOptions {
  /** Absolute threshold on singular values (default σ_max·max(m, n)·ε, or rtol·σ_max when rtol is given). */
  tol?: number;
  /** Relative threshold: singular values ≤ rtol·σ_max count as zero. */
  rtol?: number;
}

/** Rank of a (batch of) matrix [..., m, n] → [...] (float64 counts). Not differentiable. */
export function matrixRank(a: TensorLike, opts: MatrixRankOptions = {}): Tensor {
  const A = asTensor(a, "a");
  const { batch, count, m, n } = matInfo(A, "matrixRank", "a");
  const { tol, rtol } = opts;
  if (tol !== undefined && !(tol >= 0)) throw new ValueError(`matrixRank: tol must be ≥ 0, got ${tol}`);
  if (rtol !== undefined && !(rtol >= 0)) throw new ValueError(`matrixRank: rtol must be ≥ 0, got ${rtol}`);
  const k = Math.min(m, n);
  const s = svdvals(A).data;
  const r = new Float64Array(count);
  for (let b = 0; b < count; b++) {
    const smax = k > 0 ? s[b * k]! : 0;
    const t = tol ?? (rtol ?? Math.max(m, n) * 2 ** -52) * smax;
    let c = 0;
    for (let i = 0; i < k; i++) if (s[b * k + i]! > t) c++;
    r[b] = c;
  }
  return tensor(r, batch);
}
