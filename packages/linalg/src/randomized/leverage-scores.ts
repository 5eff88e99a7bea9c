// Statistical leverage scores ℓ_i = ‖U_{i,:}‖² of an orthonormal basis U of range(A), and row sampling
// with probabilities ℓ_i / rank (Drineas, Mahoney & Muthukrishnan 2006; Mahoney 2011, §4).
import {
  assertFinite,
  asTensor,
  type Key,
  LinearOperator,
  ShapeError,
  type Tensor,
  type TensorLike,
  tensor,
  uniformArray,
} from "@x/tensor";
import { svd } from "../dense/svd.js";
import { checkCount, keyOf } from "../spectral/common.js";

function denseOf(A: LinearOperator | TensorLike, fn: string): Tensor {
  const t = A instanceof LinearOperator ? A.toDense() : asTensor(A, `${fn}: A`);
  if (t.rank !== 2) throw new ShapeError(`${fn}: A must be a matrix, got shape [${t.shape.join(", ")}]`);
  assertFinite(t.data, `${fn}: A`);
  return t;
}

/**
 * Exact leverage scores of the rows of A (m×n). Uses the thin SVD rather than unpivoted QR so that the
 * scores stay correct for rank-deficient A: they sum to rank(A).
 */
export function leverageScores(A: LinearOperator | TensorLike): Tensor {
  const t = denseOf(A, "leverageScores");
  const m = t.shape[0]!;
  const { u, s } = svd(t);
  const w = u.shape[1]!;
  const s0 = s.data[0] ?? 0;
  const tol = Math.max(m, t.shape[1]!) * 2 ** -52 * s0;
  let r = 0;
  while (r < s.size && s.data[r]! > tol) r++;
  const out = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let acc = 0;
    for (let j = 0; j < r; j++) acc += u.data[i * w + j]! ** 2;
    out[i] = acc;
  }
  return tensor(out, [m]);
}

/**
 * Samples s rows i.i.d. with p_i = ℓ_i / Σℓ. Returns the indices, their probabilities, and the rescaled
 * sketch SA (rows a_i / √(s p_i)) so that E[(SA)ᵀSA] = AᵀA.
 */
export function leverageScoreSample(
  A: LinearOperator | TensorLike,
  s: number,
  opts: { key?: Key; seed?: number } = {},
): { indices: Tensor; probabilities: Tensor; sketch: Tensor } {
  const t = denseOf(A, "leverageScoreSample");
  const [m, n] = [t.shape[0]!, t.shape[1]!];
  checkCount(s, Number.MAX_SAFE_INTEGER, "s", "leverageScoreSample");
  const lev = leverageScores(t).data;
  let total = 0;
  for (let i = 0; i < m; i++) total += lev[i]!;
  const cdf = new Float64Array(m);
  let acc = 0;
  for (let i = 0; i < m; i++) {
    acc += lev[i]! / total;
    cdf[i] = acc;
  }
  const u = uniformArray(keyOf(opts), s);
  const idx = new Float64Array(s);
  const prob = new Float64Array(s);
  const sk = new Float64Array(s * n);
  for (let j = 0; j < s; j++) {
    // Binary search in the CDF.
    let lo = 0;
    let hi = m - 1;
    const x = u[j]! * acc;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    idx[j] = lo;
    const p = lev[lo]! / total;
    prob[j] = p;
    const c = 1 / Math.sqrt(s * p);
    for (let k = 0; k < n; k++) sk[j * n + k] = c * t.data[lo * n + k]!;
  }
  return { indices: tensor(idx, [s]), probabilities: tensor(prob, [s]), sketch: tensor(sk, [s, n]) };
}
