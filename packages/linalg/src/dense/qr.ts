// Householder QR, a = q·r (Golub & Van Loan, "Matrix Computations" (4th ed.), Alg. 5.2.1), with the
// reflector convention of LAPACK dgeqrf/dlarfg (β = −sign(α)‖x‖), so signs match numpy/scipy.
// Derivative of the reduced QR for m ≥ n (Walter, Lehmann & Lamour, Optim. Methods Softw. 2012;
// Liao et al., "Differentiable programming tensor networks", PRX 2019): with
// B = da·r⁻¹, X = qᵀB and Ω = tril(X,−1) − tril(X,−1)ᵀ, dr = (X − Ω)·r and dq = B − q·(X − Ω).
// q and r are two customJvp primitives whose rules compute both (calling qr and the differentiable
// triangular solve, so they nest); reverse mode is the transpose derived by @x/tensor.
// Caveat (as LAPACK/numpy/JAX): where a column is already zero below the diagonal no reflection is
// applied (H = I), so q and r flip sign discontinuously there; the derivative is that of the H = I branch.
import { asTensor, customJvp, matmul, mT, mul, sub, type Tensor, type TensorLike, ValueError } from "@x/tensor";
import { assertNotTraced, isConcrete, mask, matInfo, out } from "./common.js";
import { triSolver } from "./solve-triangular.js";

/**
 * In-place Householder QR of the m×n row-major block a[off..]: r on and above the diagonal, the
 * reflector tails v (v₀ = 1 implicit) below it, scalars in tau[tOff..tOff+min(m,n)).
 */
export function geqrf(a: Float64Array, off: number, m: number, n: number, tau: Float64Array, tOff: number): void {
  const kmax = Math.min(m, n);
  const w = new Float64Array(n);
  for (let k = 0; k < kmax; k++) {
    let scale = Math.abs(a[off + k * n + k]!);
    for (let i = k + 1; i < m; i++) scale = Math.max(scale, Math.abs(a[off + i * n + k]!));
    // Subnormal columns lose digits in hypot and overflow in 1/(α − β): work on the column times 2^600
    // (exact for powers of two); τ and v are scale-invariant, only β is scaled back.
    const sc = scale < 1e-290 ? 2 ** 600 : 1;
    const alpha = a[off + k * n + k]! * sc;
    let xnorm = 0;
    if (scale > 0) {
      // ‖x‖ with scaling, so that huge columns do not overflow.
      let s = 0;
      const ss = scale * sc;
      for (let i = k + 1; i < m; i++) s += ((a[off + i * n + k]! * sc) / ss) ** 2;
      xnorm = ss * Math.sqrt(s);
    }
    if (xnorm === 0) {
      tau[tOff + k] = 0;
      continue;
    }
    const beta = -(alpha >= 0 ? 1 : -1) * Math.hypot(alpha, xnorm);
    const t = (beta - alpha) / beta;
    tau[tOff + k] = t;
    const inv = 1 / (alpha - beta);
    for (let i = k + 1; i < m; i++) a[off + i * n + k] = a[off + i * n + k]! * sc * inv;
    a[off + k * n + k] = beta / sc;
    // Apply H = I − τ·v·vᵀ to the trailing columns: w = vᵀ·A[k:, k+1:], A −= τ·v·w.
    for (let j = k + 1; j < n; j++) w[j] = a[off + k * n + j]!;
    for (let i = k + 1; i < m; i++) {
      const v = a[off + i * n + k]!;
      if (v !== 0) for (let j = k + 1; j < n; j++) w[j]! += v * a[off + i * n + j]!;
    }
    for (let j = k + 1; j < n; j++) a[off + k * n + j]! -= t * w[j]!;
    for (let i = k + 1; i < m; i++) {
      const tv = t * a[off + i * n + k]!;
      if (tv !== 0) for (let j = k + 1; j < n; j++) a[off + i * n + j]! -= tv * w[j]!;
    }
  }
}

/** Forms the first `cols` columns of q = H₀·H₁·…·H_{k−1} (m×cols row-major) from geqrf output. */
export function orgqr(
  a: Float64Array,
  off: number,
  m: number,
  n: number,
  tau: Float64Array,
  tOff: number,
  cols: number,
): Float64Array {
  const kmax = Math.min(m, n);
  const q = new Float64Array(m * cols);
  for (let i = 0; i < Math.min(m, cols); i++) q[i * cols + i] = 1;
  const w = new Float64Array(cols);
  // Backward accumulation: H_k only touches rows ≥ k, and columns < k are still unit vectors there.
  for (let k = kmax - 1; k >= 0; k--) {
    const t = tau[tOff + k]!;
    if (t === 0) continue;
    for (let j = k; j < cols; j++) w[j] = q[k * cols + j]!;
    for (let i = k + 1; i < m; i++) {
      const v = a[off + i * n + k]!;
      if (v !== 0) for (let j = k; j < cols; j++) w[j]! += v * q[i * cols + j]!;
    }
    for (let j = k; j < cols; j++) q[k * cols + j]! -= t * w[j]!;
    for (let i = k + 1; i < m; i++) {
      const tv = t * a[off + i * n + k]!;
      if (tv !== 0) for (let j = k; j < cols; j++) q[i * cols + j]! -= tv * w[j]!;
    }
  }
  return q;
}

export type QrMode = "reduced" | "complete" | "r";

function raw(A: Tensor, mode: QrMode): { q: Tensor | null; r: Tensor } {
  const { batch, count, m, n } = matInfo(A, "qr", "a", false, false);
  const kmax = Math.min(m, n);
  const a = Float64Array.from(A.data);
  const tau = new Float64Array(count * kmax);
  const rRows = mode === "complete" ? m : kmax;
  const qCols = mode === "complete" ? m : kmax;
  const R = new Float64Array(count * rRows * n);
  const Q = mode === "r" ? null : new Float64Array(count * m * qCols);
  for (let b = 0; b < count; b++) {
    const off = b * m * n;
    geqrf(a, off, m, n, tau, b * kmax);
    for (let i = 0; i < kmax; i++) for (let j = i; j < n; j++) R[b * rRows * n + i * n + j] = a[off + i * n + j]!;
    if (Q) Q.set(orgqr(a, off, m, n, tau, b * kmax, qCols), b * m * qCols);
  }
  return { q: Q ? out(Q, [...batch, m, qCols]) : null, r: out(R, [...batch, rRows, n]) };
}

function rule(a: Tensor, da: Tensor): { q: Tensor; r: Tensor; dq: Tensor; dr: Tensor } {
  const q = qrQ(a);
  const r = qrR(a);
  const n = a.shape[a.rank - 1]!;
  // B = da·r⁻¹ computed as (r⁻ᵀ·daᵀ)ᵀ.
  const b = mT(triSolver(false, true, false)(r, mT(da)));
  const x = matmul(mT(q), b);
  const low = mul(x, mask(n, "strictLower"));
  const xo = sub(x, sub(low, mT(low)));
  return { q, r, dq: sub(b, matmul(q, xo)), dr: matmul(xo, r) };
}

const qrQ: (a: Tensor) => Tensor = customJvp(
  (a: Tensor) => raw(a, "reduced").q!,
  ([a], [da]) => {
    const s = rule(a, da);
    return [s.q, s.dq];
  },
) as (a: Tensor) => Tensor;

const qrR: (a: Tensor) => Tensor = customJvp(
  (a: Tensor) => raw(a, "reduced").r,
  ([a], [da]) => {
    const s = rule(a, da);
    return [s.r, s.dr];
  },
) as (a: Tensor) => Tensor;

export interface QrOptions {
  /**
   * 'reduced' (default): q [..., m, k], r [..., k, n] with k = min(m, n); 'complete': q [..., m, m],
   * r [..., m, n]; 'r': only r [..., k, n].
   */
  mode?: QrMode;
}

/**
 * Householder QR of a (batch of) m×n matrices, a = q·r with qᵀq = I and r upper trapezoidal (signs as
 * LAPACK/numpy). The reduced QR with m ≥ n is differentiable in a (q and r, forward and reverse, nestable);
 * its derivative needs r invertible (full column rank).
 */
export function qr(a: TensorLike, options?: { mode?: "reduced" | "complete" }): { q: Tensor; r: Tensor };
export function qr(a: TensorLike, options: { mode: "r" }): { r: Tensor };
export function qr(a: TensorLike, options: QrOptions = {}): { q?: Tensor; r: Tensor } {
  const { mode = "reduced" } = options;
  if (mode !== "reduced" && mode !== "complete" && mode !== "r") {
    throw new ValueError(`qr: options.mode must be 'reduced', 'complete' or 'r', got ${String(mode)}`);
  }
  const A = asTensor(a, "a");
  const { m, n } = matInfo(A, "qr", "a");
  if (mode === "reduced" && m >= n && !isConcrete(A)) return { q: qrQ(A), r: qrR(A) };
  assertNotTraced(A, "qr", "a", "derivatives exist for mode 'reduced' with m ≥ n only");
  const res = raw(A, mode);
  return mode === "r" ? { r: res.r } : { q: res.q!, r: res.r };
}
