// Eigenvalues of a general real matrix: Householder reduction to upper Hessenberg form, then the
// Francis implicit double-shift QR iteration with deflation and exceptional shifts
// (Golub & Van Loan, §7.4–7.5; EISPACK orthes/hqr as in JAMA). Optional eigenvectors by inverse
// iteration on the Hessenberg form, mapped back with the accumulated reflections (GVL §7.6.1).
import { asTensor, type Tensor, type TensorLike, ValueError } from "@x/tensor";
import { matInfo, out } from "./common.js";

export interface EigResult {
  /** Real parts [..., n], sorted by real part ascending, then imaginary part ascending. */
  real: Tensor;
  /** Imaginary parts [..., n]; complex eigenvalues come in conjugate pairs. */
  imag: Tensor;
  /** With { vectors: true }: real parts of the eigenvectors (columns), [..., n, n]. */
  vectorsReal?: Tensor;
  /** With { vectors: true }: imaginary parts of the eigenvectors (columns), [..., n, n]. */
  vectorsImag?: Tensor;
}

const EPS = 2 ** -52;
const SMLNUM = 2.2250738585072014e-308 / EPS;

/** Reduces H (n×n, row-major, in place) to upper Hessenberg form by Householder reflections. */
function hessenberg(H: Float64Array, n: number, Q: Float64Array | null): void {
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
    if (Q) {
      // Q ← Q·P with P = I − u·uᵀ/h, so that a = Q·H·Qᵀ.
      for (let i = 0; i < n; i++) {
        let f = 0;
        for (let j = m; j <= high; j++) f += Q[i * n + j]! * ort[j]!;
        f /= h;
        for (let j = m; j <= high; j++) Q[i * n + j]! -= f * ort[j]!;
      }
    }
    H[m * n + m - 1] = scale * g;
    for (let i = m + 1; i <= high; i++) H[i * n + m - 1] = 0;
  }
}

/**
 * Eigenvector of the Hessenberg H for the eigenvalue (lr, li) by inverse iteration (Golub & Van Loan,
 * §7.6.1): complex Gaussian elimination with adjacent-row pivoting on H − μI, μ nudged off λ by
 * 1e-13·‖H‖, three solves from U·x = e. Writes x (unit 2-norm) into (xr, xi).
 */
function inverseIteration(
  H: Float64Array,
  n: number,
  lr: number,
  li: number,
  xr: Float64Array,
  xi: Float64Array,
): void {
  // H comes from a matrix scaled to max|a_ij| = 1 (or is zero), so an absolute nudge is relative.
  const delta = 1e-13;
  const Mr = new Float64Array(n * n);
  const Mi = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) Mr[i] = H[i]!;
  for (let i = 0; i < n; i++) {
    Mr[i * n + i]! -= lr + delta;
    Mi[i * n + i] = -li;
  }
  const swap = new Uint8Array(n);
  const lR = new Float64Array(n);
  const lI = new Float64Array(n);
  for (let k = 0; k < n - 1; k++) {
    const a = k * n;
    const b = (k + 1) * n;
    if (Math.hypot(Mr[b + k]!, Mi[b + k]!) > Math.hypot(Mr[a + k]!, Mi[a + k]!)) {
      swap[k] = 1;
      for (let j = k; j < n; j++) {
        [Mr[a + j], Mr[b + j]] = [Mr[b + j]!, Mr[a + j]!];
        [Mi[a + j], Mi[b + j]] = [Mi[b + j]!, Mi[a + j]!];
      }
    }
    let pr = Mr[a + k]!;
    const pi = Mi[a + k]!;
    if (pr === 0 && pi === 0) {
      pr = delta;
      Mr[a + k] = delta;
    }
    const den = pr * pr + pi * pi;
    const qr = Mr[b + k]!;
    const qi = Mi[b + k]!;
    const mr = (qr * pr + qi * pi) / den;
    const mi = (qi * pr - qr * pi) / den;
    lR[k] = mr;
    lI[k] = mi;
    for (let j = k + 1; j < n; j++) {
      Mr[b + j]! -= mr * Mr[a + j]! - mi * Mi[a + j]!;
      Mi[b + j]! -= mr * Mi[a + j]! + mi * Mr[a + j]!;
    }
    Mr[b + k] = 0;
    Mi[b + k] = 0;
  }
  const last = (n - 1) * n + n - 1;
  if (Mr[last] === 0 && Mi[last] === 0) Mr[last] = delta;
  for (let i = 0; i < n; i++) {
    xr[i] = 1;
    xi[i] = 0;
  }
  for (let it = 0; it < 3; it++) {
    // First pass solves U·x = e (EISPACK invit): a start vector poor in the wanted direction cannot
    // then be annihilated by the L-solve.
    for (let k = 0; it > 0 && k < n - 1; k++) {
      if (swap[k]) {
        [xr[k], xr[k + 1]] = [xr[k + 1]!, xr[k]!];
        [xi[k], xi[k + 1]] = [xi[k + 1]!, xi[k]!];
      }
      xr[k + 1]! -= lR[k]! * xr[k]! - lI[k]! * xi[k]!;
      xi[k + 1]! -= lR[k]! * xi[k]! + lI[k]! * xr[k]!;
    }
    for (let i = n - 1; i >= 0; i--) {
      let sr = xr[i]!;
      let si = xi[i]!;
      for (let j = i + 1; j < n; j++) {
        sr -= Mr[i * n + j]! * xr[j]! - Mi[i * n + j]! * xi[j]!;
        si -= Mr[i * n + j]! * xi[j]! + Mi[i * n + j]! * xr[j]!;
      }
      let dr = Mr[i * n + i]!;
      const di = Mi[i * n + i]!;
      if (dr === 0 && di === 0) dr = delta;
      const den = dr * dr + di * di;
      xr[i] = (sr * dr + si * di) / den;
      xi[i] = (si * dr - sr * di) / den;
    }
    // Normalise (by the largest modulus first, so huge iterates do not overflow).
    let big = 0;
    for (let i = 0; i < n; i++) big = Math.max(big, Math.abs(xr[i]!), Math.abs(xi[i]!));
    let nn = 0;
    for (let i = 0; i < n; i++) {
      xr[i]! /= big;
      xi[i]! /= big;
      nn += xr[i]! ** 2 + xi[i]! ** 2;
    }
    nn = Math.sqrt(nn);
    for (let i = 0; i < n; i++) {
      xr[i]! /= nn;
      xi[i]! /= nn;
    }
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

export interface EigOptions {
  /** Also compute right eigenvectors (inverse iteration on the Hessenberg form; default false). */
  vectors?: boolean;
}

/**
 * Eigenvalues of a general real (batch of) square matrix a [..., n, n] → { real, imag } [..., n],
 * sorted by real part, then imaginary part. With { vectors: true } also { vectorsReal, vectorsImag }
 * [..., n, n]: column k is a unit-2-norm right eigenvector for eigenvalue k, phase fixed so that its
 * largest-modulus entry is real positive (conjugate eigenvalues get conjugate vectors). Eigenvectors of
 * (nearly) defective eigenvalues are not reliable. Not differentiable.
 */
export function eig(a: TensorLike, opts: EigOptions = {}): EigResult {
  const A = asTensor(a, "a");
  const { batch, count, n } = matInfo(A, "eig", "a", true);
  const want = opts.vectors === true;
  const src = A.data;
  const re = new Float64Array(count * n);
  const im = new Float64Array(count * n);
  const vr = new Float64Array(want ? count * n * n : 0);
  const vi = new Float64Array(want ? count * n * n : 0);
  for (let b = 0; b < count; b++) {
    if (n === 0) continue;
    const H = src.slice(b * n * n, (b + 1) * n * n);
    // Scale to max|a_ij| = 1 (eigenvalues scale back linearly) to stay clear of under/overflow.
    let big = 0;
    for (let i = 0; i < n * n; i++) big = Math.max(big, Math.abs(H[i]!));
    const sc = big > 0 ? big : 1;
    for (let i = 0; i < n * n; i++) H[i] = H[i]! / sc;
    const Q = want ? new Float64Array(n * n) : null;
    if (Q) for (let i = 0; i < n; i++) Q[i * n + i] = 1;
    hessenberg(H, n, Q);
    const Hk = want ? H.slice() : H;
    const wr = new Float64Array(n);
    const wi = new Float64Array(n);
    francis(H, n, wr, wi);
    const idx = Array.from({ length: n }, (_, i) => i).sort((i, j) => wr[i]! - wr[j]! || wi[i]! - wi[j]!);
    idx.forEach((i, k) => {
      re[b * n + k] = wr[i]! * sc;
      im[b * n + k] = wi[i]! * sc;
    });
    if (!Q) continue;
    const xr = new Float64Array(n);
    const xi = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const i = idx[k]!;
      // Conjugate pairs: compute for the eigenvalue with positive imaginary part, conjugate otherwise.
      const conj = wi[i]! < 0;
      inverseIteration(Hk, n, wr[i]!, conj ? -wi[i]! : wi[i]!, xr, xi);
      // v = Q·x, then fix the phase: largest-modulus entry real positive.
      const yr = new Float64Array(n);
      const yi = new Float64Array(n);
      for (let r = 0; r < n; r++) {
        let sr = 0;
        let si = 0;
        for (let c = 0; c < n; c++) {
          sr += Q[r * n + c]! * xr[c]!;
          si += Q[r * n + c]! * xi[c]!;
        }
        yr[r] = sr;
        yi[r] = si;
      }
      let p = 0;
      for (let r = 1; r < n; r++) if (yr[r]! ** 2 + yi[r]! ** 2 > (yr[p]! ** 2 + yi[p]! ** 2) * (1 + 1e-12)) p = r;
      const mod = Math.hypot(yr[p]!, yi[p]!);
      const cr = yr[p]! / mod;
      const ci = -yi[p]! / mod;
      for (let r = 0; r < n; r++) {
        const o = b * n * n + r * n + k;
        vr[o] = yr[r]! * cr - yi[r]! * ci;
        vi[o] = (conj ? -1 : 1) * (yr[r]! * ci + yi[r]! * cr);
      }
    }
  }
  const res: EigResult = { real: out(re, [...batch, n]), imag: out(im, [...batch, n]) };
  if (want) {
    res.vectorsReal = out(vr, A.shape);
    res.vectorsImag = out(vi, A.shape);
  }
  return res;
}

/** The eigenvalues only, as { real, imag }. */
export const eigvals = (a: TensorLike): EigResult => eig(a);
