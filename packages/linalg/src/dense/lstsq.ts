// Linear least squares min ‖a·x − b‖₂ for full-column-rank a (m ≥ n) by Householder QR: x = r⁻¹·(qᵀb)
// (Golub & Van Loan, "Matrix Computations" (4th ed.), Alg. 5.3.2). Rank-deficient systems are rejected
// (use a pseudo-inverse). Not differentiable.
import { asTensor, type Tensor, type TensorLike, ValueError } from "@x/tensor";
import { assertNotTraced, matInfo, out, rhsInfo } from "./common.js";
import { geqrf } from "./qr.js";
import { trsm } from "./solve-triangular.js";

export interface LstsqResult {
  /** Minimizer [..., n] or [..., n, k]. */
  x: Tensor;
  /** Squared residual norms ‖b − a·x‖² per right-hand side: [...] for a vector b, [..., k] otherwise (≈0 when m = n). */
  residuals: Tensor;
  /** Numerical rank of a (always n: rank-deficient input throws). */
  rank: number;
}

/**
 * Least-squares solution of a·x ≈ b for a [..., m, n] with m ≥ n and full column rank, b [..., m] or
 * [..., m, k]. Throws ValueError when a is (numerically) rank deficient: |r_ii| ≤ max(m, n)·ε·max|r_jj|.
 */
export function lstsq(a: TensorLike, b: TensorLike): LstsqResult {
  const A = asTensor(a, "a");
  const B = asTensor(b, "b");
  assertNotTraced(A, "lstsq", "a", "write the normal equations with solve for derivatives");
  assertNotTraced(B, "lstsq", "b", "write the normal equations with solve for derivatives");
  const info = matInfo(A, "lstsq", "a");
  const { batch, count, m, n } = info;
  if (m < n) {
    throw new ValueError(
      `lstsq: a is ${m}×${n}, fewer rows than columns (underdetermined); use pinv for the minimum-norm solution`,
    );
  }
  const { vector, k } = rhsInfo(B, info, "lstsq");
  const ad = Float64Array.from(A.data);
  const bd = Float64Array.from(B.data);
  const tau = new Float64Array(n);
  const x = new Float64Array(count * n * k);
  const res = new Float64Array(count * k);
  const w = new Float64Array(k);
  for (let bi = 0; bi < count; bi++) {
    const off = bi * m * n;
    const bo = bi * m * k;
    geqrf(ad, off, m, n, tau, 0);
    let rmax = 0;
    for (let i = 0; i < n; i++) rmax = Math.max(rmax, Math.abs(ad[off + i * n + i]!));
    for (let i = 0; i < n; i++) {
      if (!(Math.abs(ad[off + i * n + i]!) > Math.max(m, n) * Number.EPSILON * rmax)) {
        throw new ValueError(
          `lstsq: a${count > 1 ? ` (batch entry ${bi})` : ""} is rank deficient (|r[${i},${i}]| = ${Math.abs(ad[off + i * n + i]!)}); use pinv for rank-deficient least squares`,
        );
      }
    }
    // b ← qᵀb = H_{n−1}·…·H₀·b.
    for (let c = 0; c < n; c++) {
      const t = tau[c]!;
      if (t === 0) continue;
      for (let j = 0; j < k; j++) w[j] = bd[bo + c * k + j]!;
      for (let i = c + 1; i < m; i++) {
        const v = ad[off + i * n + c]!;
        for (let j = 0; j < k; j++) w[j]! += v * bd[bo + i * k + j]!;
      }
      for (let j = 0; j < k; j++) bd[bo + c * k + j]! -= t * w[j]!;
      for (let i = c + 1; i < m; i++) {
        const tv = t * ad[off + i * n + c]!;
        for (let j = 0; j < k; j++) bd[bo + i * k + j]! -= tv * w[j]!;
      }
    }
    // The last m − n entries of qᵀb are the residual's coordinates.
    for (let i = n; i < m; i++) for (let j = 0; j < k; j++) res[bi * k + j]! += bd[bo + i * k + j]! ** 2;
    const top = bd.slice(bo, bo + n * k);
    // r is the leading n×n block of the packed m×n factor (row stride n), so trsm can read it in place.
    trsm(ad, off, n, top, 0, k, false, false, false);
    x.set(top, bi * n * k);
  }
  return {
    x: out(x, vector ? [...batch, n] : [...batch, n, k]),
    residuals: out(res, vector ? batch : [...batch, k]),
    rank: n,
  };
}
