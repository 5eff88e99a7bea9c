// Divide and conquer for the SVD of an upper bidiagonal matrix (Jessup & Sorensen 1994; Gu & Eisenstat 1995,
// "A divide-and-conquer algorithm for the bidiagonal SVD"; LAPACK dbdsdc/dlasd0–dlasd3). Row k of B is removed:
// B = [B1 0; α·e_kᵀ β·e_1ᵀ; 0 B2] with B1 of order nl×(nl+1); with the halves' SVDs the merged problem is
// M = [z; 0 diag(σ)] (one row z, one zero column), whose singular values squared are the eigenvalues of
// diag(0, σ²) + z·zᵀ. They come from the symmetric secular solver of tridiagonal-dc.ts on the poles σ_i²
// (each root kept relative to its nearer pole, so σ_i² − s_j² stays accurate), Gu–Eisenstat's ẑ keeps the
// vectors v_j ∝ ẑ_i/(σ_i² − s_j²) and u_j ∝ (−1, σ_i·v_j,i) orthogonal, and each merge forms its vectors by
// matrix products. Subproblems that are n×(n+1) carry one extra right vector (the null vector) upwards.
// Small subproblems are solved by implicit QR (golub-kahan-svd.ts).
import { gemmF64 } from "@x/tensor";
import { bidiagonalQr, lartg, rot } from "./golub-kahan-svd.js";
import { loewnerZ, secular, secularVector, undoRotations, withSafeScale } from "./tridiagonal-dc.js";

const EPS = 2 ** -52;
/** Subproblems up to this order are solved by QR with vectors (LAPACK's smlsiz). */
const LEAF = 25;

export interface BidiagonalSvd {
  /** Singular values, descending. */
  s: Float64Array;
  /** Left singular vectors of B as columns (n×n row-major), in the order of s. */
  ub: Float64Array;
  /** Right singular vectors of B as columns (n×n row-major), in the order of s. */
  vb: Float64Array;
}

/** Solved subproblem of order n×(n+sqre): s ascending, u (n×n) and v (m×m, m = n + sqre) with vectors as columns; v's last column is the null vector when sqre = 1. */
interface Part {
  s: Float64Array;
  u: Float64Array;
  v: Float64Array;
}

/**
 * SVD of the upper bidiagonal (d, e) of order n (e[i] couples rows i and i+1), or null if a QR leaf did
 * not converge. d and e are kept. `leaf` is the largest order solved by QR (tests lower it to exercise the merges).
 */
export function bdsdc(d: Float64Array, e: Float64Array, n: number, leaf = LEAF): BidiagonalSvd | null {
  if (n === 0) return { s: new Float64Array(0), ub: new Float64Array(0), vb: new Float64Array(0) };
  const dd = d.slice(0, n);
  const ee = new Float64Array(n);
  ee.set(e.subarray(0, n - 1));
  // B = 0: σ = 0 with the unit vectors (the merges below need a positive deflation tolerance).
  if (scaleOf(dd, ee, n) === 0) {
    const eye = new Float64Array(n * n);
    for (let i = 0; i < n; i++) eye[i * n + i] = 1;
    return { s: new Float64Array(n), ub: eye, vb: eye.slice() };
  }
  // withSafeScale brings max|B| near 1; the deflation tolerance never drops below ε² of it (zero sub-blocks).
  const part = withSafeScale(dd, ee, n, () => {
    const p = solve(dd, ee, 0, n, 0, Math.max(2, leaf), EPS * EPS * scaleOf(dd, ee, n));
    if (p) dd.set(p.s);
    return p;
  });
  if (!part) return null;
  // Descending order: column n − 1 − r of the ascending result.
  const s = new Float64Array(n);
  const ub = new Float64Array(n * n);
  const vb = new Float64Array(n * n);
  for (let r = 0; r < n; r++) s[r] = dd[n - 1 - r]!;
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < n; r++) {
      ub[i * n + r] = part.u[i * n + n - 1 - r]!;
      vb[i * n + r] = part.v[i * n + n - 1 - r]!;
    }
  }
  return { s, ub, vb };
}

function scaleOf(d: Float64Array, e: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s = Math.max(s, Math.abs(d[i]!), Math.abs(e[i]!));
  return s;
}

/** Rows lo..lo+n−1 and columns lo..lo+n−1+sqre of B. */
function solve(
  d: Float64Array,
  e: Float64Array,
  lo: number,
  n: number,
  sqre: number,
  leaf: number,
  floor: number,
): Part | null {
  if (n <= leaf) return leafSolve(d, e, lo, n, sqre);
  const nl = (n - 1) >> 1;
  const left = solve(d, e, lo, nl, 1, leaf, floor);
  const right = solve(d, e, lo + nl + 1, n - nl - 1, sqre, leaf, floor);
  if (!left || !right) return null;
  return merge(d[lo + nl]!, e[lo + nl]!, n, nl, sqre, left, right, floor);
}

/**
 * QR with vectors on rows lo..lo+n−1. With sqre = 1 the extra column is first rotated away from the right
 * (B·G = [B' 0], LAPACK dlasdq), so V = G·diag(V', 1) and its last column is the null vector.
 */
function leafSolve(d: Float64Array, e: Float64Array, lo: number, n: number, sqre: number): Part | null {
  const m = n + sqre;
  const dd = d.slice(lo, lo + n);
  const ee = new Float64Array(n);
  ee.set(e.subarray(lo, lo + n - 1 + sqre));
  // Rows of Uᵀ and Vᵀ, so that every rotation updates contiguous rows.
  const ut = new Float64Array(n * n);
  const vt = new Float64Array(m * m);
  for (let i = 0; i < n; i++) ut[i * n + i] = 1;
  for (let i = 0; i < m; i++) vt[i * m + i] = 1;
  if (sqre === 1) {
    let f = ee[n - 1]!;
    ee[n - 1] = 0;
    for (let i = n - 1; i >= 0 && f !== 0; i--) {
      lartg(dd[i]!, f);
      const c = rot[0]!;
      const s = rot[1]!;
      dd[i] = rot[2]!;
      if (i > 0) {
        f = -s * ee[i - 1]!;
        ee[i - 1]! *= c;
      }
      const oi = i * m;
      const on = n * m;
      for (let t = 0; t < m; t++) {
        const a = vt[oi + t]!;
        const b = vt[on + t]!;
        vt[oi + t] = c * a + s * b;
        vt[on + t] = c * b - s * a;
      }
    }
  }
  if (!bidiagonalQr(dd, ee, n, vt, m, ut, n)) return null;
  const idx = Array.from({ length: n }, (_, i) => i).sort((x, y) => Math.abs(dd[x]!) - Math.abs(dd[y]!));
  const s = new Float64Array(n);
  const u = new Float64Array(n * n);
  const v = new Float64Array(m * m);
  for (let c = 0; c < n; c++) {
    const j = idx[c]!;
    s[c] = Math.abs(dd[j]!);
    const sg = dd[j]! < 0 ? -1 : 1;
    for (let i = 0; i < n; i++) u[i * n + c] = ut[j * n + i]!;
    for (let i = 0; i < m; i++) v[i * m + c] = sg * vt[j * m + i]!;
  }
  if (sqre === 1) for (let i = 0; i < m; i++) v[i * m + n] = vt[n * m + i]!;
  return { s, u, v };
}

/**
 * Merges the SVDs of B1 (nl×(nl+1)) and B2 (nr×(nr+sqre)) joined by the row (α at column nl, β at column nl+1)
 * into the SVD of the n×(n+sqre) parent (LAPACK dlasd1–dlasd3).
 */
function merge(
  alpha: number,
  beta: number,
  n: number,
  nl: number,
  sqre: number,
  left: Part,
  right: Part,
  floor: number,
): Part {
  const nr = n - nl - 1;
  const m = n + sqre;
  const ml = nl + 1;
  const mr = nr + sqre;
  // Items 1..n−1 of M: the halves' singular values with their z (α·last row of V1, β·first row of V2);
  // item 0 is the zero column (the null vectors of the halves, combined).
  const sig = new Float64Array(n);
  const zz = new Float64Array(n);
  for (let c = 0; c < nl; c++) {
    sig[1 + c] = left.s[c]!;
    zz[1 + c] = alpha * left.v[nl * ml + c]!;
  }
  for (let c = 0; c < nr; c++) {
    sig[ml + c] = right.s[c]!;
    zz[ml + c] = beta * right.v[c]!;
  }
  const z1 = alpha * left.v[nl * ml + nl]!;
  const z2 = sqre === 1 ? beta * right.v[nr]! : 0;
  // Sorted positions 1..n−1 (two ascending runs); pos 0 is item 0.
  const perm = new Int32Array(n);
  {
    let a = 1;
    let b = ml;
    for (let p = 1; p < n; p++) {
      if (b >= n || (a < ml && sig[a]! <= sig[b]!)) perm[p] = a++;
      else perm[p] = b++;
    }
  }
  const ds = new Float64Array(n);
  const zs = new Float64Array(n);
  let dmax = 0;
  for (let p = 1; p < n; p++) {
    ds[p] = sig[perm[p]!]!;
    zs[p] = zz[perm[p]!]!;
    dmax = Math.max(dmax, ds[p]!);
  }
  const tol = Math.max(8 * EPS * Math.max(Math.abs(alpha), Math.abs(beta), dmax), floor);
  // Deflation (dlasd2): a tiny z_p leaves σ_p with unit vectors; two σ closer than tol are rotated (on both
  // sides, the diagonal being ≈ σ·I there) so that one z vanishes. Position 0 always stays.
  const nd: number[] = [0];
  const defl: number[] = [];
  const rots: number[] = [];
  let pj = -1;
  for (let p = 1; p < n; p++) {
    if (Math.abs(zs[p]!) <= tol) {
      defl.push(p);
      continue;
    }
    if (pj < 0) {
      pj = p;
      continue;
    }
    if (Math.abs(ds[p]! - ds[pj]!) <= tol) {
      const t = Math.hypot(zs[p]!, zs[pj]!);
      const c = zs[p]! / t;
      const s = -zs[pj]! / t;
      zs[p] = t;
      zs[pj] = 0;
      rots.push(pj, p, c, s);
      defl.push(pj);
    } else nd.push(pj);
    pj = p;
  }
  if (pj >= 0) nd.push(pj);
  // z of the zero column, and the rotation (c0, s0) combining the two null vectors when sqre = 1.
  let c0 = 1;
  let s0 = 0;
  if (sqre === 1) {
    const t = Math.hypot(z1, z2);
    if (t <= tol) zs[0] = tol;
    else {
      zs[0] = t;
      c0 = z1 / t;
      s0 = z2 / t;
    }
  } else zs[0] = Math.abs(z1) <= tol ? tol : z1;
  // Keep the smallest non-deflated σ away from the zero pole.
  if (nd.length > 1 && ds[nd[1]!]! <= tol / 2) ds[nd[1]!] = tol / 2;
  const k = nd.length;
  const sk = Float64Array.from(nd, (p) => ds[p]!);
  const delta = Float64Array.from(sk, (x) => x * x);
  const w = Float64Array.from(nd, (p) => zs[p]!);
  const org = new Int32Array(k);
  const tau = new Float64Array(k);
  secular(delta, w, 1, k, org, tau);
  const lam0 = Float64Array.from(org, (o) => delta[o]!);
  const zh = loewnerZ(delta, w, lam0, tau, k);
  // Output order: secular roots and deflated values together, ascending.
  const vals = new Float64Array(n);
  const kind = new Int32Array(n); // ≥ 0: root j; < 0: deflated position −1 − p
  for (let j = 0; j < k; j++) {
    vals[j] = Math.sqrt(lam0[j]! + tau[j]!);
    kind[j] = j;
  }
  for (let t = 0; t < defl.length; t++) {
    vals[k + t] = ds[defl[t]!]!;
    kind[k + t] = -1 - defl[t]!;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => vals[x]! - vals[y]!);
  // Each output vector of M is formed in sorted positions (contiguous scratch rows), the deflation rotations
  // are undone (last first), and its entries are scattered to the halves' bases: row c of uT/vT holds the
  // coefficients of output c on U1's (V1's) columns, so that the products below read them transposed.
  // Item 0 (the merged zero column) goes to V1's null column with c0 and to V2's with s0; U's middle row is
  // item 0 itself. The new null vector (sqre = 1) is −s0·null1 + c0·null2.
  const s = new Float64Array(n);
  const uT1 = new Float64Array(n * nl);
  const uT2 = new Float64Array(n * nr);
  const mid = new Float64Array(n);
  const vT1 = new Float64Array(m * ml);
  const vT2 = new Float64Array(m * mr);
  const tu = new Float64Array(n);
  const tv = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    const src = order[c]!;
    s[c] = vals[src]!;
    const kd = kind[src]!;
    tu.fill(0);
    tv.fill(0);
    if (kd < 0) {
      tu[-1 - kd] = 1;
      tv[-1 - kd] = 1;
    } else {
      const nv = 1 / Math.sqrt(secularVector(zh, delta, lam0[kd]!, tau[kd]!, k, nd, tv));
      // u = M·v/σ: −1 in the z row (the secular equation), σ_i·v_i below.
      let nu = 1;
      for (let i = 1; i < k; i++) {
        const y = sk[i]! * tv[nd[i]!]!;
        tu[nd[i]!] = y;
        nu += y * y;
      }
      tu[0] = -1;
      nu = 1 / Math.sqrt(nu);
      for (let i = 0; i < k; i++) {
        tv[nd[i]!]! *= nv;
        tu[nd[i]!]! *= nu;
      }
    }
    undoRotations(rots, tu);
    undoRotations(rots, tv);
    mid[c] = tu[0]!;
    vT1[c * ml + nl] = c0 * tv[0]!;
    if (sqre === 1) vT2[c * mr + nr] = s0 * tv[0]!;
    for (let p = 1; p < n; p++) {
      const it = perm[p]!;
      if (it < ml) {
        uT1[c * nl + it - 1] = tu[p]!;
        vT1[c * ml + it - 1] = tv[p]!;
      } else {
        uT2[c * nr + it - ml] = tu[p]!;
        vT2[c * mr + it - ml] = tv[p]!;
      }
    }
  }
  if (sqre === 1) {
    vT1[n * ml + nl] = -s0;
    vT2[n * mr + nr] = c0;
  }
  const u = new Float64Array(n * n);
  const v = new Float64Array(m * m);
  const tb = { transB: true } as const;
  if (nl > 0) gemmF64(left.u, uT1, nl, nl, n, u, tb);
  u.set(mid, nl * n);
  if (nr > 0) gemmF64(right.u, uT2, nr, nr, n, u.subarray(ml * n), tb);
  gemmF64(left.v, vT1, ml, ml, m, v, tb);
  if (mr > 0) gemmF64(right.v, vT2, mr, mr, m, v.subarray(ml * m), tb);
  return { s, u, v };
}
