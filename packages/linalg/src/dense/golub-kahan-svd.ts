// Golub–Kahan–Reinsch SVD: Householder bidiagonalisation A = Q_U·B·Q_Vᵀ (Golub & Kahan 1965), then implicit
// shifted QR on the bidiagonal B (Golub & Reinsch 1970) with Demmel & Kahan's zero-shift sweeps, chase
// direction and convergence criteria ("Accurate singular values of bidiagonal matrices", 1990), following
// LAPACK dgebrd/dorgbr/dbdsqr. Left singular vectors are kept as rows of Uᵀ and right ones as rows of Vᵀ
// (row-major Float64Array), so every Householder reflector and Givens rotation updates contiguous rows.
import { bdsdc } from "./bidiagonal-dc.js";
import { applyReflectors } from "./block-reflector.js";
import { gebrdBlocked } from "./gebrd-blocked.js";
import { leftReflector, pythag, rightReflector, sign } from "./householder.js";
import { columnSigns, vectorSign } from "./sign-convention.js";

const EPS = 2 ** -52;
const UNFL = 2 ** -1022;
/** LAPACK's tolmul·eps with tolmul = max(10, min(100, eps^(-1/8))): relative accuracy of the QR phase. */
const TOL = Math.max(10, Math.min(100, EPS ** -0.125)) * EPS;
const MAXITR = 6;

// Givens rotation [c s; −s c]·[f; g] = [r; 0] (LAPACK dlartg): results in rot[0..2] = c, s, r.
export const rot = new Float64Array(3);
export function lartg(f: number, g: number): void {
  if (g === 0) {
    rot[0] = 1;
    rot[1] = 0;
    rot[2] = f;
  } else if (f === 0) {
    rot[0] = 0;
    rot[1] = g > 0 ? 1 : -1;
    rot[2] = Math.abs(g);
  } else {
    const d = pythag(f, g);
    const r = f > 0 ? d : -d;
    rot[0] = Math.abs(f) / d;
    rot[1] = g / r;
    rot[2] = r;
  }
}

/** Smaller singular value of the upper triangular [f g; 0 h] (LAPACK dlas2). */
function las2(f: number, g: number, h: number): number {
  const fa = Math.abs(f);
  const ga = Math.abs(g);
  const ha = Math.abs(h);
  const fhmn = Math.min(fa, ha);
  const fhmx = Math.max(fa, ha);
  if (fhmn === 0) return 0;
  if (ga < fhmx) {
    const as = 1 + fhmn / fhmx;
    const at = (fhmx - fhmn) / fhmx;
    const au = (ga / fhmx) ** 2;
    return fhmn * (2 / (Math.sqrt(as * as + au) + Math.sqrt(at * at + au)));
  }
  const au = fhmx / ga;
  if (au === 0) return (fhmn * fhmx) / ga;
  const as = 1 + fhmn / fhmx;
  const at = (fhmx - fhmn) / fhmx;
  const c = 1 / (Math.sqrt(1 + (as * au) ** 2) + Math.sqrt(1 + (at * au) ** 2));
  return 2 * (fhmn * c * au);
}

/**
 * SVD of the upper triangular [f g; 0 h] (LAPACK dlasv2): [csl snl; −snl csl]·[f g; 0 h]·[csr −snr; snr csr]
 * = diag(ssmax, ssmin). Returns [ssmin, ssmax, snr, csr, snl, csl].
 */
function lasv2(f: number, g: number, h: number): [number, number, number, number, number, number] {
  let ft = f;
  let fa = Math.abs(ft);
  let ht = h;
  let ha = Math.abs(h);
  let pmax = 1;
  const swap = ha > fa;
  if (swap) {
    pmax = 3;
    [ft, ht] = [ht, ft];
    [fa, ha] = [ha, fa];
  }
  const gt = g;
  const ga = Math.abs(gt);
  let ssmin: number;
  let ssmax: number;
  let clt: number;
  let crt: number;
  let slt: number;
  let srt: number;
  if (ga === 0) {
    ssmin = ha;
    ssmax = fa;
    clt = 1;
    crt = 1;
    slt = 0;
    srt = 0;
  } else {
    let gasmal = true;
    ssmin = ssmax = clt = crt = slt = srt = 0;
    if (ga > fa) {
      pmax = 2;
      if (fa / ga < EPS) {
        // Very large g: the singular values are ≈ g and f·h/g.
        gasmal = false;
        ssmax = ga;
        ssmin = ha > 1 ? fa / (ga / ha) : (fa / ga) * ha;
        clt = 1;
        slt = ht / gt;
        srt = 1;
        crt = ft / gt;
      }
    }
    if (gasmal) {
      const d = fa - ha;
      let l = d === fa ? 1 : d / fa;
      const m = gt / ft;
      let t = 2 - l;
      const mm = m * m;
      const tt = t * t;
      const s = Math.sqrt(tt + mm);
      const r = l === 0 ? Math.abs(m) : Math.sqrt(l * l + mm);
      const a = 0.5 * (s + r);
      ssmin = ha / a;
      ssmax = fa * a;
      if (mm === 0) {
        t = l === 0 ? sign(2, ft) * sign(1, gt) : gt / sign(d, ft) + m / t;
      } else {
        t = (m / (s + t) + m / (r + l)) * (1 + a);
      }
      l = Math.sqrt(t * t + 4);
      crt = 2 / l;
      srt = t / l;
      clt = (crt + srt * m) / a;
      slt = ((ht / ft) * srt) / a;
    }
  }
  let csl: number;
  let snl: number;
  let csr: number;
  let snr: number;
  if (swap) {
    csl = srt;
    snl = crt;
    csr = slt;
    snr = clt;
  } else {
    csl = clt;
    snl = slt;
    csr = crt;
    snr = srt;
  }
  let tsign = 1;
  if (pmax === 1) tsign = sign(1, csr) * sign(1, csl) * sign(1, f);
  else if (pmax === 2) tsign = sign(1, snr) * sign(1, csl) * sign(1, g);
  else tsign = sign(1, snr) * sign(1, snl) * sign(1, h);
  ssmax = sign(ssmax, tsign);
  ssmin = sign(ssmin, tsign * sign(1, f) * sign(1, h));
  return [ssmin, ssmax, snr, csr, snl, csl];
}

/**
 * Bidiagonalises the row-major m×n (m ≥ n) matrix w in place (LAPACK dgebd2 layout): d, e get the upper
 * bidiagonal; left reflector k has v below the diagonal of column k and τ in tq[k]; right reflector k has
 * u right of the superdiagonal of row k and τ in tp[k]. Row-oriented, two passes over the trailing block per
 * step: accᵀ = vᵀA accumulated row by row (axpy), then one fused pass doing A −= τ·v·accᵀ and, while the
 * row is in cache, the right reflector (one dot and one axpy per row).
 */
export function bidiagonalise(
  w: Float64Array,
  m: number,
  n: number,
  d: Float64Array,
  e: Float64Array,
  tq: Float64Array,
  tp: Float64Array,
): void {
  const acc = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    // Left reflector: zero column k below the diagonal.
    const tau = leftReflector(w, m, n, k, d, tq);
    if (k + 1 >= n) continue;
    const j0 = k + 1;
    const rk = k * n;
    if (tau !== 0) {
      // accᵀ = vᵀ·A[k:, k+1:] (v₀ = 1 implicit), then row k gets its update first.
      for (let j = j0; j < n; j++) acc[j] = w[rk + j]!;
      for (let i = k + 1; i < m; i++) {
        const vi = w[i * n + k]!;
        if (vi === 0) continue;
        const ri = i * n;
        for (let j = j0; j < n; j++) acc[j]! += vi * w[ri + j]!;
      }
      for (let j = j0; j < n; j++) w[rk + j]! -= tau * acc[j]!;
    }
    // Right reflector from the updated row k: zero it right of the superdiagonal.
    const tr = rightReflector(w, n, k, e, tp);
    if (tau === 0 && tr === 0) continue;
    // One fused pass over the trailing rows: the left update, then (row still in cache) the right one.
    for (let i = k + 1; i < m; i++) {
      const ri = i * n;
      const f = tau * w[ri + k]!;
      if (f !== 0) for (let j = j0; j < n; j++) w[ri + j]! -= f * acc[j]!;
      if (tr === 0) continue;
      let s = w[ri + j0]!;
      for (let j = j0 + 1; j < n; j++) s += w[ri + j]! * w[rk + j]!;
      s *= tr;
      if (s === 0) continue;
      w[ri + j0]! -= s;
      for (let j = j0 + 1; j < n; j++) w[ri + j]! -= s * w[rk + j]!;
    }
  }
}

/**
 * Rows of Q_Uᵀ (uRows × m): row c = e_cᵀ·H_{n−1}⋯H_0, accumulated backwards so that reflector j only
 * touches rows ≥ j and columns ≥ j (the others are still unit rows there).
 */
export function formUt(w: Float64Array, m: number, n: number, tq: Float64Array, uRows: number): Float64Array {
  const ut = new Float64Array(uRows * m);
  for (let r = 0; r < uRows; r++) ut[r * m + r] = 1;
  const v = new Float64Array(m);
  for (let j = n - 1; j >= 0; j--) {
    const tau = tq[j]!;
    if (tau === 0) continue;
    v[j] = 1;
    for (let i = j + 1; i < m; i++) v[i] = w[i * n + j]!;
    for (let r = j; r < uRows; r++) {
      const o = r * m;
      let s = 0;
      for (let i = j; i < m; i++) s += ut[o + i]! * v[i]!;
      s *= tau;
      if (s === 0) continue;
      for (let i = j; i < m; i++) ut[o + i]! -= s * v[i]!;
    }
  }
  return ut;
}

/** Rows of Q_Vᵀ (n × n), same backward accumulation with the right reflectors (acting on 1..n−1). */
export function formVt(w: Float64Array, n: number, tp: Float64Array): Float64Array {
  const vt = new Float64Array(n * n);
  for (let r = 0; r < n; r++) vt[r * n + r] = 1;
  for (let k = n - 3; k >= 0; k--) {
    const tau = tp[k]!;
    if (tau === 0) continue;
    const rk = k * n;
    const j0 = k + 1;
    for (let r = j0; r < n; r++) {
      const o = r * n;
      let s = vt[o + j0]!;
      for (let j = j0 + 1; j < n; j++) s += vt[o + j]! * w[rk + j]!;
      s *= tau;
      if (s === 0) continue;
      vt[o + j0]! -= s;
      for (let j = j0 + 1; j < n; j++) vt[o + j]! -= s * w[rk + j]!;
    }
  }
  return vt;
}

/**
 * Implicit-shift QR on the upper bidiagonal (d, e) of order n (LAPACK dbdsqr, relative-accuracy mode).
 * Right rotations update rows of vt (length vl), left rotations rows of ut (length ul); either may be null.
 * On return d holds the singular values (not yet made positive or sorted). Returns false if the
 * iteration limit (6n² inner steps) was hit.
 */
export function bidiagonalQr(
  d: Float64Array,
  e: Float64Array,
  n: number,
  vt: Float64Array | null,
  vl: number,
  ut: Float64Array | null,
  ul: number,
): boolean {
  if (n <= 1) return true;
  const w: SweepRots = {
    cv: new Float64Array(n),
    sv: new Float64Array(n),
    cu: new Float64Array(n),
    su: new Float64Array(n),
  };
  const apply = (lo: number, hi: number, fwd: boolean) => {
    if (vt) lasr(vt, vl, lo, hi, w.cv, w.sv, fwd);
    if (ut) lasr(ut, ul, lo, hi, w.cu, w.su, fwd);
  };
  let smax = 0;
  for (let i = 0; i < n; i++) smax = Math.max(smax, Math.abs(d[i]!));
  for (let i = 0; i < n - 1; i++) smax = Math.max(smax, Math.abs(e[i]!));
  // Threshold for negligible e: relative to a lower bound on the smallest singular value.
  let sminoa = Math.abs(d[0]!);
  if (sminoa !== 0) {
    let mu = sminoa;
    for (let i = 1; i < n; i++) {
      mu = Math.abs(d[i]!) * (mu / (mu + Math.abs(e[i - 1]!)));
      sminoa = Math.min(sminoa, mu);
      if (sminoa === 0) break;
    }
  }
  sminoa /= Math.sqrt(n);
  const thresh = Math.max(TOL * sminoa, MAXITR * n * n * UNFL);
  const maxIter = MAXITR * n * n;
  let iter = 0;
  let oldll = -1;
  let oldm = -1;
  let idir = 0;
  let m = n - 1; // last index of the active block
  while (m > 0) {
    if (iter > maxIter) return false;
    // Find the diagonal block ll..m with non-negligible superdiagonal.
    let bmax = Math.abs(d[m]!);
    let ll = -1;
    for (let l = m - 1; l >= 0; l--) {
      const abss = Math.abs(d[l]!);
      const abse = Math.abs(e[l]!);
      if (abse <= thresh) {
        e[l] = 0;
        ll = l;
        break;
      }
      bmax = Math.max(bmax, abss, abse);
    }
    if (ll === m - 1) {
      m--;
      continue;
    }
    ll++;
    if (ll === m - 1) {
      // 2×2 block: closed form.
      const [sigmn, sigmx, sinr, cosr, sinl, cosl] = lasv2(d[m - 1]!, e[m - 1]!, d[m]!);
      d[m - 1] = sigmx;
      e[m - 1] = 0;
      d[m] = sigmn;
      w.cv[m - 1] = cosr;
      w.sv[m - 1] = sinr;
      w.cu[m - 1] = cosl;
      w.su[m - 1] = sinl;
      apply(m - 1, m, true);
      m -= 2;
      continue;
    }
    // New block: chase the bulge from the larger end towards the smaller (graded matrices).
    if (ll > oldm || m < oldll) idir = Math.abs(d[ll]!) >= Math.abs(d[m]!) ? 1 : 2;
    // Convergence tests (Demmel–Kahan criteria in the chase direction).
    let sminl = 0;
    let split = false;
    if (idir === 1) {
      if (Math.abs(e[m - 1]!) <= TOL * Math.abs(d[m]!)) {
        e[m - 1] = 0;
        continue;
      }
      let mu = Math.abs(d[ll]!);
      sminl = mu;
      for (let l = ll; l < m; l++) {
        if (Math.abs(e[l]!) <= TOL * mu) {
          e[l] = 0;
          split = true;
          break;
        }
        mu = Math.abs(d[l + 1]!) * (mu / (mu + Math.abs(e[l]!)));
        sminl = Math.min(sminl, mu);
      }
    } else {
      if (Math.abs(e[ll]!) <= TOL * Math.abs(d[ll]!)) {
        e[ll] = 0;
        continue;
      }
      let mu = Math.abs(d[m]!);
      sminl = mu;
      for (let l = m - 1; l >= ll; l--) {
        if (Math.abs(e[l]!) <= TOL * mu) {
          e[l] = 0;
          split = true;
          break;
        }
        mu = Math.abs(d[l]!) * (mu / (mu + Math.abs(e[l]!)));
        sminl = Math.min(sminl, mu);
      }
    }
    if (split) continue;
    oldll = ll;
    oldm = m;
    // Shift: the smaller singular value of the trailing (leading) 2×2, or zero when it would spoil the
    // relative accuracy of small singular values (Demmel–Kahan).
    let shift = 0;
    if (!(n * TOL * (sminl / bmax) <= Math.max(EPS, 0.01 * TOL))) {
      let sll: number;
      if (idir === 1) {
        sll = Math.abs(d[ll]!);
        shift = las2(d[m - 1]!, e[m - 1]!, d[m]!);
      } else {
        sll = Math.abs(d[m]!);
        shift = las2(d[ll]!, e[ll]!, d[ll + 1]!);
      }
      if (sll > 0 && (shift / sll) ** 2 < EPS) shift = 0;
    }
    iter += m - ll;
    if (shift === 0) zeroShiftSweep(d, e, ll, m, idir, w);
    else shiftedSweep(d, e, ll, m, idir, shift, w);
    apply(ll, m, idir === 1);
    if (idir === 1) {
      if (Math.abs(e[m - 1]!) <= thresh) e[m - 1] = 0;
    } else if (Math.abs(e[ll]!) <= thresh) e[ll] = 0;
  }
  return true;
}

/** Rotations of one sweep: pair (p, p+1) uses cv/sv[p] on the rows of Vᵀ and cu/su[p] on the rows of Uᵀ. */
interface SweepRots {
  cv: Float64Array;
  sv: Float64Array;
  cu: Float64Array;
  su: Float64Array;
}

/**
 * Applies the rotations of pairs (p, p+1), p = lo..hi−1 (in order if fwd, else reversed), to the rows of x
 * (row length len; LAPACK dlasr, pivot 'V'): x_p ← c·x_p + s·x_{p+1}, x_{p+1} ← c·x_{p+1} − s·x_p. Row p+1
 * written by one rotation is read by the next, so it is still in L1. (Deferring many sweeps and replaying
 * them column chunk by column chunk gave no measurable gain at n ≤ 500.)
 */
function lasr(x: Float64Array, len: number, lo: number, hi: number, cs: Float64Array, ss: Float64Array, fwd: boolean) {
  for (let r = lo; r < hi; r++) {
    const p = fwd ? r : hi - 1 - (r - lo);
    const c = cs[p]!;
    const s = ss[p]!;
    if (s === 0 && c === 1) continue;
    const oi = p * len;
    const oj = oi + len;
    for (let t = 0; t < len; t++) {
      const a = x[oi + t]!;
      const b = x[oj + t]!;
      x[oi + t] = c * a + s * b;
      x[oj + t] = c * b - s * a;
    }
  }
}

/** Demmel–Kahan zero-shift QR sweep on d[ll..m], e[ll..m−1]: no cancellation, so tiny values stay accurate. */
function zeroShiftSweep(d: Float64Array, e: Float64Array, ll: number, m: number, idir: number, w: SweepRots): void {
  let cs = 1;
  let oldcs = 1;
  let oldsn = 0;
  if (idir === 1) {
    for (let i = ll; i < m; i++) {
      lartg(d[i]! * cs, e[i]!);
      cs = rot[0]!;
      const sn = rot[1]!;
      const r = rot[2]!;
      if (i > ll) e[i - 1] = oldsn * r;
      lartg(oldcs * r, d[i + 1]! * sn);
      oldcs = rot[0]!;
      oldsn = rot[1]!;
      d[i] = rot[2]!;
      w.cv[i] = cs;
      w.sv[i] = sn;
      w.cu[i] = oldcs;
      w.su[i] = oldsn;
    }
    const h = d[m]! * cs;
    d[m] = h * oldcs;
    e[m - 1] = h * oldsn;
  } else {
    for (let i = m; i > ll; i--) {
      lartg(d[i]! * cs, e[i - 1]!);
      cs = rot[0]!;
      const sn = rot[1]!;
      const r = rot[2]!;
      if (i < m) e[i] = oldsn * r;
      lartg(oldcs * r, d[i - 1]! * sn);
      oldcs = rot[0]!;
      oldsn = rot[1]!;
      d[i] = rot[2]!;
      w.cv[i - 1] = oldcs;
      w.sv[i - 1] = -oldsn;
      w.cu[i - 1] = cs;
      w.su[i - 1] = -sn;
    }
    const h = d[ll]! * cs;
    d[ll] = h * oldcs;
    e[ll] = h * oldsn;
  }
}

/** Implicit shifted QR sweep (Golub–Reinsch bulge chase) on d[ll..m], e[ll..m−1]. */
function shiftedSweep(
  d: Float64Array,
  e: Float64Array,
  ll: number,
  m: number,
  idir: number,
  shift: number,
  w: SweepRots,
): void {
  if (idir === 1) {
    let f = (Math.abs(d[ll]!) - shift) * (sign(1, d[ll]!) + shift / d[ll]!);
    let g = e[ll]!;
    for (let i = ll; i < m; i++) {
      lartg(f, g);
      const cosr = rot[0]!;
      const sinr = rot[1]!;
      if (i > ll) e[i - 1] = rot[2]!;
      f = cosr * d[i]! + sinr * e[i]!;
      e[i] = cosr * e[i]! - sinr * d[i]!;
      g = sinr * d[i + 1]!;
      d[i + 1] = cosr * d[i + 1]!;
      lartg(f, g);
      const cosl = rot[0]!;
      const sinl = rot[1]!;
      d[i] = rot[2]!;
      f = cosl * e[i]! + sinl * d[i + 1]!;
      d[i + 1] = cosl * d[i + 1]! - sinl * e[i]!;
      if (i < m - 1) {
        g = sinl * e[i + 1]!;
        e[i + 1] = cosl * e[i + 1]!;
      }
      w.cv[i] = cosr;
      w.sv[i] = sinr;
      w.cu[i] = cosl;
      w.su[i] = sinl;
    }
    e[m - 1] = f;
  } else {
    let f = (Math.abs(d[m]!) - shift) * (sign(1, d[m]!) + shift / d[m]!);
    let g = e[m - 1]!;
    for (let i = m; i > ll; i--) {
      lartg(f, g);
      const cosr = rot[0]!;
      const sinr = rot[1]!;
      if (i < m) e[i] = rot[2]!;
      f = cosr * d[i]! + sinr * e[i - 1]!;
      e[i - 1] = cosr * e[i - 1]! - sinr * d[i]!;
      g = sinr * d[i - 1]!;
      d[i - 1] = cosr * d[i - 1]!;
      lartg(f, g);
      const cosl = rot[0]!;
      const sinl = rot[1]!;
      d[i] = rot[2]!;
      f = cosl * e[i - 1]! + sinl * d[i - 1]!;
      d[i - 1] = cosl * d[i - 1]! - sinl * e[i - 1]!;
      if (i > ll + 1) {
        g = sinl * e[i - 2]!;
        e[i - 2] = cosl * e[i - 2]!;
      }
      w.cv[i - 1] = cosl;
      w.sv[i - 1] = -sinl;
      w.cu[i - 1] = cosr;
      w.su[i - 1] = -sinr;
    }
    e[ll] = f;
  }
}

/**
 * SVD of one tall m×n (m ≥ n) matrix given column-major as G (G[j·m + i] = a_ij). Same contract as the
 * Jacobi path: s descending, Uᵀ rows (uRows × m, uRows ∈ {n, m}) and Vᵀ rows (n × n), with the largest-|entry|
 * of every column of U positive. Returns null if the QR iteration did not converge (the caller falls back).
 */
export function gkrTall(
  G: Float64Array,
  m: number,
  n: number,
  uRows: number,
  wantUV: boolean,
): { s: Float64Array; ut: Float64Array; vt: Float64Array } | null {
  const w = new Float64Array(m * n);
  for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) w[i * n + j] = G[j * m + i]!;
  const r = gkrRows(w, m, n, uRows, wantUV);
  if (!r) return null;
  const ut = new Float64Array(wantUV ? uRows * m : 0);
  if (wantUV) for (let i = 0; i < m; i++) for (let c = 0; c < uRows; c++) ut[c * m + i] = r.u[i * uRows + c]!;
  return { s: r.s, ut, vt: r.vt };
}

/**
 * gkrTall on the row-major m×n w (destroyed), with U returned row-major (m × uRows, singular vectors as
 * columns), so that a row-major caller needs no transposes. Returns null if the QR iteration did not converge.
 */
export function gkrRows(
  w: Float64Array,
  m: number,
  n: number,
  uRows: number,
  wantUV: boolean,
): { s: Float64Array; u: Float64Array; vt: Float64Array } | null {
  const d = new Float64Array(n);
  const e = new Float64Array(Math.max(0, n - 1));
  const tq = new Float64Array(n);
  const tp = new Float64Array(n);
  if (n >= BRD_MIN) gebrdBlocked(w, m, n, d, e, tq, tp);
  else bidiagonalise(w, m, n, d, e, tq, tp);
  if (wantUV && n >= DC_MIN) {
    const r = fastVectors({ w, m, n, d, e, tq, tp }, uRows);
    if (r) return r;
  }
  const ut = wantUV ? formUt(w, m, n, tq, uRows) : null;
  const vt = wantUV ? formVt(w, n, tp) : null;
  if (!bidiagonalQr(d, e, n, vt, n, ut, m)) return null;
  // Positive singular values (flip the right vector), then descending order.
  for (let i = 0; i < n; i++) {
    if (d[i]! < 0 && vt) for (let j = 0; j < n; j++) vt[i * n + j] = -vt[i * n + j]!;
    d[i] = Math.abs(d[i]!); // also turns −0 into +0 (1/s must not be −∞)
  }
  const idx = Array.from({ length: n }, (_, i) => i).sort((x, y) => d[y]! - d[x]! || x - y);
  const s = Float64Array.from(idx, (j) => d[j]!);
  if (!ut || !vt) return { s, u: new Float64Array(0), vt: new Float64Array(0) };
  const u = new Float64Array(m * uRows);
  const vo = new Float64Array(n * n);
  for (let r = 0; r < uRows; r++) {
    const j = r < n ? idx[r]! : r;
    // Sign: largest-|entry| of u_r positive (the completing columns r ≥ n are kept as they are).
    const sg = r < n ? vectorSign(ut, j * m, m) : 1;
    for (let i = 0; i < m; i++) u[i * uRows + r] = sg * ut[j * m + i]!;
    if (r < n) for (let i = 0; i < n; i++) vo[r * n + i] = sg * vt[j * n + i]!;
  }
  return { s, u, vt: vo };
}

/** A bidiagonalisation in the storage of bidiagonalise / gebrdBlocked. */
interface Reduction {
  w: Float64Array;
  m: number;
  n: number;
  d: Float64Array;
  e: Float64Array;
  tq: Float64Array;
  tp: Float64Array;
}

/** From this order on, the bidiagonalisation is blocked (gebrd-blocked.ts). */
const BRD_MIN = 64;

/** From this order on, singular vectors come from the bidiagonal divide and conquer (bidiagonal-dc.ts). */
const DC_MIN = 48;

/**
 * Singular values by implicit QR without vectors (O(n²), relative accuracy, identical to svdvals),
 * singular vectors of B by divide and conquer (bdsdc), back-transformed by blocked reflectors:
 * U = Q_U·[U_B 0; 0 I], V = Q_V·V_B. Returns null (the caller runs QR with vectors) if either step declines.
 */
function fastVectors(red: Reduction, uRows: number): { s: Float64Array; u: Float64Array; vt: Float64Array } | null {
  const { w, m, n, d, e, tq, tp } = red;
  const dq = d.slice();
  const eq = e.slice();
  if (!bidiagonalQr(dq, eq, n, null, 0, null, 0)) return null;
  const s = Float64Array.from(dq, Math.abs).sort().reverse();
  const r = bdsdc(d, e, n);
  if (!r) return null;
  // The two value sets must agree to working accuracy (they pair by rank).
  for (let i = 0; i < n; i++) if (!(Math.abs(r.s[i]! - s[i]!) <= 16 * EPS * n * s[0]!)) return null;
  // Householder vectors as full rows: left ones start at k, right ones at k + 1.
  const vu = new Float64Array(n * m);
  for (let k = 0; k < n; k++) {
    vu[k * m + k] = 1;
    for (let i = k + 1; i < m; i++) vu[k * m + i] = w[i * n + k]!;
  }
  const nr = Math.max(0, n - 2);
  const vv = new Float64Array(nr * n);
  for (let k = 0; k < nr; k++) {
    vv[k * n + k + 1] = 1;
    for (let j = k + 2; j < n; j++) vv[k * n + j] = w[k * n + j]!;
  }
  const xu = new Float64Array(m * uRows);
  for (let i = 0; i < n; i++) for (let c = 0; c < n; c++) xu[i * uRows + c] = r.ub[i * n + c]!;
  for (let c = n; c < uRows; c++) xu[c * uRows + c] = 1;
  applyReflectors(vu, m, tq, n, 0, xu, uRows);
  const xv = r.vb;
  applyReflectors(vv, n, tp, nr, 1, xv, n);
  // Vᵀ rows; sign: the largest-|entry| of every column of U positive (found in one row-wise pass).
  const vt = new Float64Array(n * n);
  for (let j = 0; j < n; j++) for (let c = 0; c < n; c++) vt[c * n + j] = xv[j * n + c]!;
  const sg = columnSigns(xu, m, uRows, n);
  for (let i = 0; i < m; i++) {
    const o = i * uRows;
    for (let c = 0; c < n; c++) xu[o + c]! *= sg[c]!;
  }
  for (let c = 0; c < n; c++) if (sg[c]! < 0) for (let j = 0; j < n; j++) vt[c * n + j] = -vt[c * n + j]!;
  return { s, u: xu, vt };
}
