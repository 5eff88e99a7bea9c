// Eigenvalues of a general real matrix: Householder reduction to upper Hessenberg form, then the
// Francis implicit double-shift QR iteration with deflation and exceptional shifts
// (Golub & Van Loan, §7.4–7.5; EISPACK orthes/hqr as in JAMA). Eigenvectors are not computed.
import { asTensor, type Tensor, type TensorLike, ValueError } from "@x/tensor";
import { matInfo, out } from "./common.js";

export interface EigResult {
  /** Real parts [..., n], sorted by real part ascending, then imaginary part ascending. */
  real: Tensor;
  /** Imaginary parts [..., n]; complex eigenvalues come in conjugate pairs. */
  imag: Tensor;
}

const EPS = 2 ** -52;
const SMLNUM = 2.2250738585072014e-308 / EPS;

/** Reduces H (n×n, row-major, in place) to upper Hessenberg form by Householder reflections. */
function hessenberg(H: Float64Array, n: number): void {
  const ort = new Float64Array(n);
  const high = n - 1;
  for (let m = 1; m <= high - 1; m++) {
    let scale = 0;
    for (let i = m; i <= high; i++) scale += Math.abs(H[i * n + m - 1]!);
    if (scale === 0) continue;
    let h = 0;
    for (let i = high; i >= m; i--) {
      ort[i] = H[i * n + m - 1]! / scale;
      h += ort[i]! * ort[i]!;
    }
    let g = Math.sqrt(h);
    if (ort[m]! > 0) g = -g;
    h -= ort[m]! * g;
    ort[m] = ort[m]! - g;
    for (let j = m; j < n; j++) {
      let f = 0;
      for (let i = high; i >= m; i--) f += ort[i]! * H[i * n + j]!;
      f /= h;
      for (let i = m; i <= high; i++) H[i * n + j]! -= f * ort[i]!;
    }
    for (let i = 0; i <= high; i++) {
      let f = 0;
      for (let j = high; j >= m; j--) f += ort[j]! * H[i * n + j]!;
      f /= h;
      for (let j = m; j <= high; j++) H[i * n + j]! -= f * ort[j]!;
    }
    H[m * n + m - 1] = scale * g;
    for (let i = m + 1; i <= high; i++) H[i * n + m - 1] = 0;
  }
}

/** Eigenvalues of an upper Hessenberg H (destroyed) into (wr, wi). */
function francis(H: Float64Array, nn: number, wr: Float64Array, wi: Float64Array): void {
  const A = (i: number, j: number) => H[i * nn + j]!;
  let n = nn - 1;
  const low = 0;
  let exshift = 0;
  let p = 0;
  let q = 0;
  let r = 0;
  let s = 0;
  let z = 0;
  let x: number;
  let y: number;
  let w: number;
  let norm = 0;
  for (let i = 0; i < nn; i++) for (let j = Math.max(i - 1, 0); j < nn; j++) norm += Math.abs(A(i, j));
  let iter = 0;
  let total = 0;
  while (n >= low) {
    let l = n;
    while (l > low) {
      s = Math.abs(A(l - 1, l - 1)) + Math.abs(A(l, l));
      if (s === 0) s = norm;
      // Relative test, plus an absolute one below the subnormal range (LAPACK dlahqr's smlnum).
      if (Math.abs(A(l, l - 1)) < EPS * s || Math.abs(A(l, l - 1)) < SMLNUM) break;
      l--;
    }
    if (l === n) {
      // One root found.
      wr[n] = A(n, n) + exshift;
      wi[n] = 0;
      n--;
      iter = 0;
    } else if (l === n - 1) {
      // Two roots: the trailing 2×2 block.
      w = A(n, n - 1) * A(n - 1, n);
      p = (A(n - 1, n - 1) - A(n, n)) / 2;
      q = p * p + w;
      z = Math.sqrt(Math.abs(q));
      x = A(n, n) + exshift;
      if (q >= 0) {
        z = p >= 0 ? p + z : p - z;
        wr[n - 1] = x + z;
        wr[n] = z !== 0 ? x - w / z : x + z;
        wi[n - 1] = 0;
        wi[n] = 0;
      } else {
        wr[n - 1] = x + p;
        wr[n] = x + p;
        wi[n - 1] = z;
        wi[n] = -z;
      }
      n -= 2;
      iter = 0;
    } else {
      if (++total > 60 * nn) throw new ValueError("eig: the QR iteration did not converge");
      x = A(n, n);
      y = 0;
      w = 0;
      if (l < n) {
        y = A(n - 1, n - 1);
        w = A(n, n - 1) * A(n - 1, n);
      }
      // Exceptional shifts break cycles (Wilkinson's ad hoc shifts, as in EISPACK).
      if (iter === 10) {
        exshift += x;
        for (let i = low; i <= n; i++) H[i * nn + i]! -= x;
        s = Math.abs(A(n, n - 1)) + Math.abs(A(n - 1, n - 2));
        x = y = 0.75 * s;
        w = -0.4375 * s * s;
      }
      if (iter === 30) {
        s = (y - x) / 2;
        s = s * s + w;
        if (s > 0) {
          s = Math.sqrt(s);
          if (y < x) s = -s;
          s = x - w / ((y - x) / 2 + s);
          for (let i = low; i <= n; i++) H[i * nn + i]! -= s;
          exshift += s;
          x = y = w = 0.964;
        }
      }
      iter++;
      // Look for two consecutive small sub-diagonal elements.
      let m = n - 2;
      while (m >= l) {
        z = A(m, m);
        r = x - z;
        s = y - z;
        p = (r * s - w) / A(m + 1, m) + A(m, m + 1);
        q = A(m + 1, m + 1) - z - r - s;
        r = A(m + 2, m + 1);
        s = Math.abs(p) + Math.abs(q) + Math.abs(r);
        p /= s;
        q /= s;
        r /= s;
        if (m === l) break;
        if (
          Math.abs(A(m, m - 1)) * (Math.abs(q) + Math.abs(r)) <
          EPS * (Math.abs(p) * (Math.abs(A(m - 1, m - 1)) + Math.abs(z) + Math.abs(A(m + 1, m + 1))))
        ) {
          break;
        }
        m--;
      }
      for (let i = m + 2; i <= n; i++) {
        H[i * nn + i - 2] = 0;
        if (i > m + 2) H[i * nn + i - 3] = 0;
      }
      // Double QR step on rows l..n and columns m..n (bulge chase).
      for (let k = m; k <= n - 1; k++) {
        const notlast = k !== n - 1;
        if (k !== m) {
          p = A(k, k - 1);
          q = A(k + 1, k - 1);
          r = notlast ? A(k + 2, k - 1) : 0;
          x = Math.abs(p) + Math.abs(q) + Math.abs(r);
          if (x === 0) continue;
          p /= x;
          q /= x;
          r /= x;
        }
        s = Math.sqrt(p * p + q * q + r * r);
        if (p < 0) s = -s;
        if (s !== 0) {
          if (k !== m) H[k * nn + k - 1] = -s * x;
          else if (l !== m) H[k * nn + k - 1] = -A(k, k - 1);
          p += s;
          x = p / s;
          y = q / s;
          z = r / s;
          q /= p;
          r /= p;
          for (let j = k; j < nn; j++) {
            p = A(k, j) + q * A(k + 1, j);
            if (notlast) {
              p += r * A(k + 2, j);
              H[(k + 2) * nn + j]! -= p * z;
            }
            H[k * nn + j]! -= p * x;
            H[(k + 1) * nn + j]! -= p * y;
          }
          for (let i = 0; i <= Math.min(n, k + 3); i++) {
            p = x * A(i, k) + y * A(i, k + 1);
            if (notlast) {
              p += z * A(i, k + 2);
              H[i * nn + k + 2]! -= p * r;
            }
            H[i * nn + k]! -= p;
            H[i * nn + k + 1]! -= p * q;
          }
        }
      }
    }
  }
}

/**
 * Eigenvalues of a general real (batch of) square matrix a [..., n, n] → { real, imag } [..., n],
 * sorted by real part, then imaginary part. Not differentiable; eigenvectors are not computed.
 */
export function eig(a: TensorLike): EigResult {
  const A = asTensor(a, "a");
  const { batch, count, n } = matInfo(A, "eig", "a", true);
  const src = A.data;
  const re = new Float64Array(count * n);
  const im = new Float64Array(count * n);
  for (let b = 0; b < count; b++) {
    if (n === 0) continue;
    const H = src.slice(b * n * n, (b + 1) * n * n);
    // Scale to max|a_ij| = 1 (eigenvalues scale back linearly) to stay clear of under/overflow.
    let big = 0;
    for (let i = 0; i < n * n; i++) big = Math.max(big, Math.abs(H[i]!));
    const sc = big > 0 ? big : 1;
    for (let i = 0; i < n * n; i++) H[i] = H[i]! / sc;
    hessenberg(H, n);
    const wr = new Float64Array(n);
    const wi = new Float64Array(n);
    francis(H, n, wr, wi);
    const idx = Array.from({ length: n }, (_, i) => i).sort((i, j) => wr[i]! - wr[j]! || wi[i]! - wi[j]!);
    idx.forEach((i, k) => {
      re[b * n + k] = wr[i]! * sc;
      im[b * n + k] = wi[i]! * sc;
    });
  }
  return { real: out(re, [...batch, n]), imag: out(im, [...batch, n]) };
}

/** Alias of eig: the eigenvalues as { real, imag }. */
export const eigvals = eig;
