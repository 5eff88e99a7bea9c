// Divide and conquer for the symmetric tridiagonal eigenproblem (Cuppen 1981, "A divide and conquer
// method for the symmetric tridiagonal eigenproblem"; Gu & Eisenstat 1995, "A divide-and-conquer algorithm
// for the symmetric tridiagonal eigenproblem"; LAPACK dstedc/dlaed0–dlaed4). T is torn into two halves plus
// a rank-one term, the halves are solved recursively (implicit QL at the leaves), and each merge solves the
// secular equation of D + ρ·z·zᵀ. Deflation (tiny z_i, or close d_i removed by a Givens rotation) keeps
// clusters cheap and accurate; Gu–Eisenstat's recomputed ẑ keeps the merged eigenvectors orthogonal; and the
// merged vectors are formed by two matrix products, so almost all of the O(n³) work runs in @x/tensor's
// SIMD matmul instead of the ~6n³ scalar rotation updates of QL with eigenvectors.
import { gemmF64 } from "@x/tensor";
import { tql2 } from "./tridiagonal-ql.js";

const EPS = 2 ** -52;
/** Subproblems up to this order are solved by QL with eigenvectors. */
const LEAF = 32;
const MAX_SECULAR_ITER = 200;

/**
 * Eigen-decomposition of the n×n symmetric tridiagonal with diagonal d and off-diagonal e (e[i] couples
 * i and i+1). On return d holds the eigenvalues ascending; the result Z (n×n row-major) holds the
 * matching orthonormal eigenvectors as columns. d and e are destroyed. `leaf` is the largest order
 * solved directly by QL (tests lower it to exercise the merges on small inputs).
 */
export function stedc(d: Float64Array, e: Float64Array, n: number, leaf = LEAF): Float64Array {
  return withSafeScale(d, e, n, () => dc(d, e, 0, n, Math.max(1, leaf)));
}

/** Multiplies x[0..len) by 2^k exactly (in steps, so 2^k itself need not be representable). */
function scalePow2(x: Float64Array, len: number, k: number): void {
  while (k !== 0) {
    const step = Math.max(-1000, Math.min(1000, k));
    const f = 2 ** step;
    for (let i = 0; i < len; i++) x[i]! *= f;
    k -= step;
  }
}

/**
 * Runs the solver on T scaled by a power of two to norm ≈ 1 when max|T| is far from 1 (as LAPACK's dsteqr/dstedc
 * do), after dropping couplings |e_i| ≤ ε·max|T| (a backward perturbation of at most ε‖T‖, the accuracy D&C
 * guarantees anyway): with subnormal or near-overflow entries the QL rotations and the secular equation lose their
 * relative precision (a subnormal coupling once gave two equal eigenvectors). Eigenvalues are scaled back.
 */
export function withSafeScale<T>(d: Float64Array, e: Float64Array, n: number, solve: () => T): T {
  let s = 0;
  for (let i = 0; i < n; i++) s = Math.max(s, Math.abs(d[i]!));
  for (let i = 0; i < n - 1; i++) s = Math.max(s, Math.abs(e[i]!));
  if (s === 0 || !Number.isFinite(s)) return solve();
  for (let i = 0; i < n - 1; i++) if (Math.abs(e[i]!) <= EPS * s) e[i] = 0;
  if (s > 2 ** -400 && s < 2 ** 400) return solve();
  const k = Math.round(Math.log2(s));
  scalePow2(d, n, -k);
  scalePow2(e, n - 1, -k);
  const q = solve();
  scalePow2(d, n, k);
  return q;
}

function dc(d: Float64Array, e: Float64Array, lo: number, n: number, leaf: number): Float64Array {
  if (n <= leaf) return leafSolve(d, e, lo, n);
  const n1 = n >> 1;
  const b = e[lo + n1 - 1]!;
  const rho = Math.abs(b);
  // T = diag(T1 − ρ·e_last·e_lastᵀ, T2 − ρ·e_1·e_1ᵀ) + ρ·v·vᵀ with v = e_last + sign(b)·e_1 (Cuppen's tear).
  d[lo + n1 - 1]! -= rho;
  d[lo + n1]! -= rho;
  const q1 = dc(d, e, lo, n1, leaf);
  const q2 = dc(d, e, lo + n1, n - n1, leaf);
  return merge(d, lo, n, n1, q1, q2, rho, b < 0 ? -1 : 1);
}

function leafSolve(d: Float64Array, e: Float64Array, lo: number, n: number): Float64Array {
  const dd = d.slice(lo, lo + n);
  const ee = new Float64Array(n);
  ee.set(e.subarray(lo, lo + n - 1));
  const w = new Float64Array(n * n);
  for (let i = 0; i < n; i++) w[i * n + i] = 1;
  tql2(dd, ee, n, w, n);
  const idx = Array.from({ length: n }, (_, i) => i).sort((x, y) => dd[x]! - dd[y]!);
  const q = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const src = idx[j]!;
    d[lo + j] = dd[src]!;
    for (let i = 0; i < n; i++) q[i * n + j] = w[src * n + i]!;
  }
  return q;
}

/**
 * Merges the solved halves (eigenvalues ascending in d[lo..lo+n1) and d[lo+n1..lo+n), eigenvectors as
 * columns of q1, q2) coupled by ρ·v·vᵀ; writes the eigenvalues ascending to d[lo..lo+n), returns Q (n×n).
 */
function merge(
  d: Float64Array,
  lo: number,
  n: number,
  n1: number,
  q1: Float64Array,
  q2: Float64Array,
  rho0: number,
  sgn: number,
): Float64Array {
  const n2 = n - n1;
  // z = blockdiag(Q1, Q2)ᵀ·v, normalised (‖z‖² = 2 before): ρ·z·zᵀ = (2ρ)·(z/√2)(z/√2)ᵀ.
  const r2 = Math.SQRT1_2;
  const z = new Float64Array(n);
  for (let j = 0; j < n1; j++) z[j] = q1[(n1 - 1) * n1 + j]! * r2;
  for (let j = 0; j < n2; j++) z[n1 + j] = sgn * q2[j]! * r2;
  const rho = 2 * rho0;
  // Sorted order of all n values (two sorted runs); ds/zs are in sorted positions, perm maps back.
  const perm = new Int32Array(n);
  {
    let a = 0;
    let b = n1;
    for (let p = 0; p < n; p++) {
      if (b >= n || (a < n1 && d[lo + a]! <= d[lo + b]!)) perm[p] = a++;
      else perm[p] = b++;
    }
  }
  const ds = new Float64Array(n);
  const zs = new Float64Array(n);
  let dmax = 0;
  let zmax = 0;
  for (let p = 0; p < n; p++) {
    ds[p] = d[lo + perm[p]!]!;
    zs[p] = z[perm[p]!]!;
    dmax = Math.max(dmax, Math.abs(ds[p]!));
    zmax = Math.max(zmax, Math.abs(zs[p]!));
  }
  // Deflation (dlaed2): a tiny ρ·|z_p| leaves (d_p, e_p) an eigenpair; two values closer than the
  // tolerance are rotated so that one z component vanishes and that pair deflates.
  const tol = 8 * EPS * Math.max(dmax, zmax);
  const nd: number[] = [];
  const defl: number[] = [];
  const rots: number[] = [];
  let pj = -1;
  for (let nj = 0; nj < n; nj++) {
    if (rho * Math.abs(zs[nj]!) <= tol) {
      defl.push(nj);
      continue;
    }
    if (pj < 0) {
      pj = nj;
      continue;
    }
    const tau = Math.hypot(zs[nj]!, zs[pj]!);
    const c = zs[nj]! / tau;
    const s = -zs[pj]! / tau;
    const t = ds[nj]! - ds[pj]!;
    if (Math.abs(t * c * s) <= tol) {
      zs[nj] = tau;
      zs[pj] = 0;
      rots.push(pj, nj, c, s);
      const dp = ds[pj]! * c * c + ds[nj]! * s * s;
      ds[nj] = ds[pj]! * s * s + ds[nj]! * c * c;
      ds[pj] = dp;
      defl.push(pj);
    } else {
      nd.push(pj);
    }
    pj = nj;
  }
  if (pj >= 0) nd.push(pj);
  const k = nd.length;
  // Secular equation 1 + ρ·Σ w_i²/(δ_i − λ) = 0 on the non-deflated (δ, w).
  const delta = Float64Array.from(nd, (p) => ds[p]!);
  const w = Float64Array.from(nd, (p) => zs[p]!);
  const org = new Int32Array(k);
  const tau = new Float64Array(k);
  secular(delta, w, rho, k, org, tau);
  const lam0 = Float64Array.from(org, (o) => delta[o]!);
  const zh = loewnerZ(delta, w, lam0, tau, k);
  // Output order: secular and deflated eigenvalues together, ascending.
  const vals = new Float64Array(n);
  const kind = new Int32Array(n); // ≥ 0: secular root j; < 0: deflated sorted position −1 − p
  for (let j = 0; j < k; j++) {
    vals[j] = delta[org[j]!]! + tau[j]!;
    kind[j] = j;
  }
  for (let t = 0; t < defl.length; t++) {
    vals[k + t] = ds[defl[t]!]!;
    kind[k + t] = -1 - defl[t]!;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => vals[x]! - vals[y]!);
  // Each eigenvector is formed in sorted positions (a contiguous scratch row), the deflation rotations are
  // undone, and its entries are scattered to row c of qT1/qT2 (its coefficients on Q1's and Q2's columns),
  // which the two products read transposed.
  const qT1 = new Float64Array(n * n1);
  const qT2 = new Float64Array(n * n2);
  const t = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    const src = order[c]!;
    d[lo + c] = vals[src]!;
    const kd = kind[src]!;
    t.fill(0);
    if (kd < 0) t[-1 - kd] = 1;
    else {
      const nrm = 1 / Math.sqrt(secularVector(zh, delta, lam0[kd]!, tau[kd]!, k, nd, t));
      for (let i = 0; i < k; i++) t[nd[i]!]! *= nrm;
    }
    undoRotations(rots, t);
    for (let p = 0; p < n; p++) {
      const o = perm[p]!;
      if (o < n1) qT1[c * n1 + o] = t[p]!;
      else qT2[c * n2 + o - n1] = t[p]!;
    }
  }
  const q = new Float64Array(n * n);
  // Both halves are written straight into their row ranges of q (no temporary products).
  gemmF64(q1, qT1, n1, n1, n, q, { transB: true });
  gemmF64(q2, qT2, n2, n2, n, q.subarray(n1 * n), { transB: true });
  return q;
}

/**
 * Gu–Eisenstat: √ρ·ẑ, where ẑ (with the signs of w) is the vector for which the computed roots λ_j = lam0_j + τ_j
 * are the exact eigenvalues of D + ρ·ẑ·ẑᵀ (Löwner's formula), so that the vectors ẑ_i/(δ_i − λ_j) are orthogonal
 * to working accuracy. δ_i − λ_j = (δ_i − lam0_j) − τ_j keeps full relative accuracy.
 */
export function loewnerZ(
  delta: Float64Array,
  w: Float64Array,
  lam0: Float64Array,
  tau: Float64Array,
  k: number,
): Float64Array {
  // P_i = (λ_i − δ_i)·Π_{j≠i} (λ_j − δ_i)/(δ_j − δ_i), accumulated root by root (contiguous in i).
  const zh = new Float64Array(k);
  for (let i = 0; i < k; i++) zh[i] = -(delta[i]! - lam0[i]! - tau[i]!);
  for (let j = 0; j < k; j++) {
    const l0 = lam0[j]!;
    const tj = tau[j]!;
    const dj = delta[j]!;
    for (let i = 0; i < j; i++) zh[i]! *= (delta[i]! - l0 - tj) / (delta[i]! - dj);
    for (let i = j + 1; i < k; i++) zh[i]! *= (delta[i]! - l0 - tj) / (delta[i]! - dj);
  }
  for (let i = 0; i < k; i++) zh[i] = Math.sqrt(Math.max(zh[i]!, 0)) * (w[i]! < 0 ? -1 : 1);
  return zh;
}

/**
 * The secular vector of the root λ = l0 + τ in sorted positions: t[nd[i]] = ẑ_i/(δ_i − λ), δ_i − λ formed as
 * (δ_i − l0) − τ. Returns its squared norm; other entries of t are left alone.
 */
export function secularVector(
  zh: Float64Array,
  delta: Float64Array,
  l0: number,
  tj: number,
  k: number,
  nd: readonly number[],
  t: Float64Array,
): number {
  let nrm = 0;
  for (let i = 0; i < k; i++) {
    const x = zh[i]! / (delta[i]! - l0 - tj);
    t[nd[i]!] = x;
    nrm += x * x;
  }
  return nrm;
}

/** Undoes the deflation rotations (quadruples p, q, c, s; last first) on a vector in sorted positions. */
export function undoRotations(rots: readonly number[], t: Float64Array): void {
  for (let r = rots.length - 4; r >= 0; r -= 4) {
    const a = rots[r]!;
    const b = rots[r + 1]!;
    const c = rots[r + 2]!;
    const s = rots[r + 3]!;
    const x = t[a]!;
    const y = t[b]!;
    t[a] = c * x - s * y;
    t[b] = s * x + c * y;
  }
}

/**
 * Roots λ_j = δ_org[j] + τ_j of 1 + ρ·Σ w_i²/(δ_i − λ) = 0 (δ strictly increasing, ρ > 0, w_i ≠ 0):
 * λ_j ∈ (δ_j, δ_j+1), the last in (δ_k, δ_k + ρ‖w‖²). Each root is found relative to its nearer pole
 * (the origin), so δ_i − λ_j keeps full relative accuracy, by a bracketed two-pole rational
 * interpolation step (Bunch, Nielsen & Sorensen 1978; Li 1993, the "middle way" of dlaed4) with a
 * bisection fallback whenever the step leaves the bracket.
 */
export function secular(
  delta: Float64Array,
  w: Float64Array,
  rho: number,
  k: number,
  org: Int32Array,
  tau: Float64Array,
): void {
  const del = new Float64Array(k);
  const rw = Float64Array.from(w, (x) => rho * x);
  let wn = 0;
  for (let i = 0; i < k; i++) wn += w[i]! * w[i]!;
  for (let j = 0; j < k; j++) {
    const last = j === k - 1;
    let o: number;
    let lo: number;
    let hi: number;
    if (last) {
      o = j;
      lo = 0;
      hi = rho * wn;
      for (let i = 0; i < k; i++) del[i] = delta[i]! - delta[o]!;
    } else {
      // Which pole is nearer the root: the sign of f at the midpoint of (δ_j, δ_j+1).
      const mid = 0.5 * (delta[j + 1]! - delta[j]!);
      let fm = 1;
      // (δ_i − δ_j) − mid, not δ_i − (δ_j + mid): the latter rounds to a pole when the gap is tiny.
      for (let i = 0; i < k; i++) fm += (rw[i]! * w[i]!) / (delta[i]! - delta[j]! - mid);
      if (fm >= 0) {
        o = j;
        lo = 0;
        hi = mid;
      } else {
        o = j + 1;
        lo = delta[j]! - delta[j + 1]! + mid;
        hi = 0;
      }
      for (let i = 0; i < k; i++) del[i] = delta[i]! - delta[o]!;
    }
    let t = 0.5 * (lo + hi);
    for (let it = 0; it < MAX_SECULAR_ITER; it++) {
      // ψ: poles left of the root (i ≤ j), φ: poles right of it; two loops, no branch in the hot loop.
      let psi = 0;
      let dpsi = 0;
      for (let i = 0; i <= j; i++) {
        const q = w[i]! / (del[i]! - t);
        psi += rw[i]! * q;
        dpsi += q * q;
      }
      let phi = 0;
      let dphi = 0;
      for (let i = j + 1; i < k; i++) {
        const q = w[i]! / (del[i]! - t);
        phi += rw[i]! * q;
        dphi += q * q;
      }
      dpsi *= rho;
      dphi *= rho;
      const f = 1 + psi + phi;
      const erretm = 8 * (phi - psi) + 2 + 3 * Math.abs(f) + Math.abs(t) * (dpsi + dphi);
      if (Math.abs(f) <= EPS * erretm) break;
      if (f < 0) lo = t;
      else hi = t;
      if (hi - lo <= 2 * EPS * Math.max(Math.abs(lo), Math.abs(hi))) break;
      // Model f(λ + η) by c + s1/(a − η) [+ s2/(b − η)] matching ψ and φ and their slopes at η = 0.
      const a = del[j]! - t;
      const s1 = a * a * dpsi;
      let eta = Number.NaN;
      if (last) {
        const c = f - a * dpsi;
        if (c > 0) eta = a + s1 / c;
      } else {
        const b = del[j + 1]! - t;
        const s2 = b * b * dphi;
        const c = f - a * dpsi - b * dphi;
        const B = -(c * (a + b) + s1 + s2);
        const C = a * b * f;
        if (c === 0) eta = -C / B;
        else {
          const disc = B * B - 4 * c * C;
          if (disc >= 0) {
            const qq = -0.5 * (B + (B >= 0 ? 1 : -1) * Math.sqrt(disc));
            const e1 = qq / c;
            const e2 = qq !== 0 ? C / qq : Number.NaN;
            eta = e1 > a && e1 < b ? e1 : e2;
          }
        }
      }
      let next = t + eta;
      if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
      if (next === t) break;
      t = next;
    }
    org[j] = o;
    tau[j] = t;
  }
}
