// Singular vectors of an upper bidiagonal B through the Golub–Kahan tridiagonal: the 2n×2n matrix with zero
// diagonal and off-diagonal (d0, e0, d1, e1, …, d_{n−1}) is the perfect shuffle of [[0, Bᵀ], [B, 0]], whose
// eigenpairs are ±σ_i with (v_i, u_i) interleaved / √2 (Golub & Kahan 1965; Fernando 1998). Its
// eigenvectors come from the divide-and-conquer solver (tridiagonal-dc.ts), so the O(n³) part of the
// bidiagonal SVD runs as matrix products rather than as the ~12n³ scalar rotation updates of implicit QR.
// The v and u halves are normalised separately (which also undoes any mixing of the ±σ pair), and the
// result is verified — UᵀU = I, VᵀV = I and B·v_i = σ_i·u_i to working accuracy — so the caller can fall
// back to QR when tiny or zero singular values leave the ±σ pairs numerically inseparable.
import { gemmF64 } from "@x/tensor";
import { stedcTop } from "./tridiagonal-dc.js";

const EPS = 2 ** -52;

export interface BidiagonalSvd {
  /** Singular values, descending. */
  s: Float64Array;
  /** Left singular vectors of B as columns (n×n row-major), in the order of s. */
  ub: Float64Array;
  /** Right singular vectors of B as columns (n×n row-major), in the order of s. */
  vb: Float64Array;
}

/** SVD of the upper bidiagonal (d, e) of order n, or null if the verification fails. d, e are kept. */
export function tgkSvd(d: Float64Array, e: Float64Array, n: number): BidiagonalSvd | null {
  if (n === 0) return { s: new Float64Array(0), ub: new Float64Array(0), vb: new Float64Array(0) };
  const N = 2 * n;
  const td = new Float64Array(N);
  const te = new Float64Array(N);
  for (let i = 0; i < n; i++) {
    te[2 * i] = d[i]!;
    if (i + 1 < n) te[2 * i + 1] = e[i]!;
  }
  // Only the n largest eigenpairs (+σ) are needed: their vectors are the last n columns.
  const z = stedcTop(td, te, N, n);
  const s = new Float64Array(n);
  const ub = new Float64Array(n * n);
  const vb = new Float64Array(n * n);
  const nu = new Float64Array(n);
  const nv = new Float64Array(n);
  // The n largest eigenvalues, descending: column c = n − 1 − r of z (eigenvalue td[N − 1 − r]).
  for (let i = 0; i < n; i++) {
    const rv = 2 * i * n;
    const ru = rv + n;
    for (let r = 0; r < n; r++) {
      const c = n - 1 - r;
      const x = z[rv + c]!;
      const y = z[ru + c]!;
      vb[i * n + r] = x;
      ub[i * n + r] = y;
      nv[r]! += x * x;
      nu[r]! += y * y;
    }
  }
  for (let r = 0; r < n; r++) {
    s[r] = td[N - 1 - r]!;
    if (!(s[r]! > 0 && nu[r]! > 0.25 && nv[r]! > 0.25)) return null;
    nu[r] = 1 / Math.sqrt(nu[r]!);
    nv[r] = 1 / Math.sqrt(nv[r]!);
  }
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < n; r++) {
      ub[i * n + r]! *= nu[r]!;
      vb[i * n + r]! *= nv[r]!;
    }
  }
  // Verification.
  const tol = 8 * EPS * N;
  const smax = s[0]!;
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < n; r++) {
      const bv = d[i]! * vb[i * n + r]! + (i + 1 < n ? e[i]! * vb[(i + 1) * n + r]! : 0);
      if (!(Math.abs(bv - s[r]! * ub[i * n + r]!) <= tol * smax)) return null;
    }
  }
  // QᵀQ with Qᵀ packed by hand (cheaper than a general transpose).
  const qt = new Float64Array(n * n);
  for (const q of [ub, vb]) {
    for (let i = 0; i < n; i++) for (let r = 0; r < n; r++) qt[r * n + i] = q[i * n + r]!;
    const g = gemmF64(qt, q, n, n, n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (!(Math.abs(g[i * n + j]! - (i === j ? 1 : 0)) <= tol)) return null;
      }
    }
  }
  return { s, ub, vb };
}
