// Singular value decomposition by one-sided Jacobi rotations (Hestenes 1958; Demmel & Veselić 1992,
// "Jacobi's method is more accurate than QR"), preconditioned by a Householder QR (Drmač & Veselić
// 2008): columns of Rᵀ are rotated pairwise until mutually orthogonal, then s_j = ‖x_j‖ and the
// normalised columns and accumulated rotations give the singular vectors.
// Sign convention: the largest-|entry| of every column of U is positive (V follows).
// Derivatives (thin SVD, distinct non-zero singular values; Townsend 2016, "Differentiating the
// singular value decomposition"), with S = Uᵀ·dA·V and F_ij = 1/(s_j² − s_i²):
//   ds = diag(S),  dU = U(F ∘ (S·diag(s) + diag(s)·Sᵀ)) + (I − UUᵀ)·dA·V·diag(1/s),
//   dV = V(F ∘ (diag(s)·S + Sᵀ·diag(s))) + (I − VVᵀ)·dAᵀ·U·diag(1/s).
// s, U and Vᵀ are three customJvp primitives (sharing one cached factorisation) whose rules call those
// primitives again, so forward, reverse (the transposed rule) and higher derivatives nest. The rules
// differentiate the sign-fixed branch; they are singular at repeated or zero singular values.
import {
  add,
  asTensor,
  div,
  expandDims,
  matmul,
  mT,
  mul,
  sub,
  sum,
  type Tensor,
  type TensorLike,
  tensor,
  ValueError,
} from "@x/tensor";
import { isConcrete, matInfo, out } from "./common.js";
import { factorOutput } from "./factor-output.js";
import { gkrRows, gkrTall } from "./golub-kahan-svd.js";
import { vectorSign } from "./sign-convention.js";

/** Diagonal of [..., k, k] → [..., k] (differentiable). */
const diagPart = (m: Tensor): Tensor => sum(mul(m, eyeK(m.shape[m.rank - 1]!)), { axis: -1 });

export interface SvdOptions {
  /** U is m×m and Vᵀ is n×n when true; otherwise the thin factors with k = min(m, n) (default false). */
  fullMatrices?: boolean;
  /** When false only s is computed and the result is { s } (default true). */
  computeUV?: boolean;
  /**
   * 'gkr' (default): Golub–Kahan–Reinsch bidiagonalisation + implicit QR, the fast LAPACK-style method.
   * 'jacobi': QR-preconditioned one-sided Jacobi, slower but more accurate for tiny singular values relative
   * to their own size (graded matrices).
   */
  method?: SvdMethod;
}

export type SvdMethod = "gkr" | "jacobi";

export interface SvdResult {
  /** Left singular vectors as columns, [..., m, k] (or [..., m, m] with fullMatrices). */
  u: Tensor;
  /** Singular values in descending order, [..., k] with k = min(m, n). */
  s: Tensor;
  /** Right singular vectors as rows, [..., k, n] (or [..., n, n] with fullMatrices). */
  vt: Tensor;
}

const EPS = 2 ** -52;
const TINY = 1e-280;

/**
 * Completes the orthonormal rows q[0..have) (each of length m) to `want` rows by Gram–Schmidt
 * (twice, for orthogonality) on the unit vectors.
 */
function complete(q: Float64Array, m: number, have: number, want: number): void {
  let row = have;
  for (let c = 0; c < m && row < want; c++) {
    const x = new Float64Array(m);
    x[c] = 1;
    for (let pass = 0; pass < 2; pass++) {
      for (let r = 0; r < row; r++) {
        let d = 0;
        for (let i = 0; i < m; i++) d += q[r * m + i]! * x[i]!;
        for (let i = 0; i < m; i++) x[i]! -= d * q[r * m + i]!;
      }
    }
    let nn = 0;
    for (let i = 0; i < m; i++) nn += x[i]! * x[i]!;
    nn = Math.sqrt(nn);
    if (nn < 0.5) continue;
    for (let i = 0; i < m; i++) q[row * m + i] = x[i]! / nn;
    row++;
  }
}

/**
 * SVD of one tall m×n (m ≥ n) matrix given column-major as G (row j of G = column j, length m).
 * Returns s (descending), Uᵀ rows (uRows × m) and Vᵀ rows (n × n).
 */
function jacobiTall(
  G: Float64Array,
  m: number,
  n: number,
  uRows: number,
  wantUV: boolean,
): { s: Float64Array; ut: Float64Array; vt: Float64Array } {
  const W = new Float64Array(wantUV ? n * n : 0);
  if (wantUV) for (let j = 0; j < n; j++) W[j * n + j] = 1;
  const nrm = new Float64Array(n);
  const tol = EPS * Math.sqrt(m);
  for (let sweep = 0; ; sweep++) {
    if (sweep > 80) throw new ValueError("svd: the Jacobi sweeps did not converge");
    // Norms are refreshed each sweep and updated exactly within it.
    for (let j = 0; j < n; j++) {
      let t = 0;
      for (let i = 0; i < m; i++) t += G[j * m + i]! * G[j * m + i]!;
      nrm[j] = t;
    }
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      const po = p * m;
      for (let q = p + 1; q < n; q++) {
        const alpha = nrm[p]!;
        const beta = nrm[q]!;
        // Columns below TINY (the matrix is scaled to max|a_ij| = 1) are numerically zero; rotating
        // them would work on subnormal numbers and stall convergence.
        if (alpha < TINY || beta < TINY) continue;
        const qo = q * m;
        let gamma = 0;
        for (let i = 0; i < m; i++) gamma += G[po + i]! * G[qo + i]!;
        if (Math.abs(gamma) <= tol * Math.sqrt(alpha) * Math.sqrt(beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let i = 0; i < m; i++) {
          const x = G[po + i]!;
          const y = G[qo + i]!;
          G[po + i] = c * x - s * y;
          G[qo + i] = s * x + c * y;
        }
        nrm[p] = alpha - t * gamma;
        nrm[q] = beta + t * gamma;
        if (wantUV) {
          const pv = p * n;
          const qv = q * n;
          for (let i = 0; i < n; i++) {
            const x = W[pv + i]!;
            const y = W[qv + i]!;
            W[pv + i] = c * x - s * y;
            W[qv + i] = s * x + c * y;
          }
        }
      }
    }
    if (!rotated) break;
  }
  const sv = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let t = 0;
    for (let i = 0; i < m; i++) t += G[j * m + i]! * G[j * m + i]!;
    sv[j] = Math.sqrt(t);
  }
  const idx = Array.from({ length: n }, (_, i) => i).sort((x, y) => sv[y]! - sv[x]!);
  const s = Float64Array.from(idx, (j) => sv[j]!);
  if (!wantUV) return { s, ut: new Float64Array(0), vt: new Float64Array(0) };
  const ut = new Float64Array(uRows * m);
  const vt = new Float64Array(n * n);
  let have = 0;
  // Columns with s_j² < TINY (numerically zero) carry no reliable direction: they are completed after the others.
  const zeroCols: number[] = [];
  for (let r = 0; r < n; r++) {
    const j = idx[r]!;
    if (sv[j]! * sv[j]! >= TINY) {
      for (let i = 0; i < m; i++) ut[r * m + i] = G[j * m + i]! / sv[j]!;
      have = r + 1;
    } else zeroCols.push(r);
  }
  if (zeroCols.length > 0) {
    // Zero singular values sort last, so rows have..n-1 are exactly the ones to complete.
    complete(ut, m, have, n);
  }
  if (uRows > n) complete(ut, m, n, uRows);
  for (let r = 0; r < n; r++) {
    const j = idx[r]!;
    // Sign: largest-|entry| of u_r positive.
    const sg = vectorSign(ut, r * m, m);
    if (sg < 0) for (let i = 0; i < m; i++) ut[r * m + i] = -ut[r * m + i]!;
    for (let i = 0; i < n; i++) vt[r * n + i] = sg * W[j * n + i]!;
  }
  return { s, ut, vt };
}

/**
 * QR-preconditioned Jacobi (Drmač & Veselić 2008): A·P = QR by Householder with column pivoting, then one-sided Jacobi on
 * X = Rᵀ = U_x Σ V_xᵀ, so A = (Q V_x) Σ (P U_x)ᵀ. Rᵀ is much closer to orthogonal columns than A, which
 * roughly halves the number of sweeps, and the sweeps run on n×n instead of m×n.
 * Same contract as jacobiTall: G is A (m×n, m ≥ n) column-major and is destroyed.
 */
function qrJacobi(
  G: Float64Array,
  m: number,
  n: number,
  uRows: number,
  wantUV: boolean,
): { s: Float64Array; ut: Float64Array; vt: Float64Array } {
  const tau = new Float64Array(n);
  const rdiag = new Float64Array(n);
  // Column pivoting (largest remaining norm first) makes Rᵀ close to diagonally dominant, which is
  // what speeds up the Jacobi sweeps (Drmač & Veselić 2008, §3).
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  for (let j = 0; j < n; j++) {
    let best = j;
    let bestNorm = -1;
    for (let c = j; c < n; c++) {
      let t = 0;
      for (let i = j; i < m; i++) t += G[c * m + i]! * G[c * m + i]!;
      if (t > bestNorm) {
        bestNorm = t;
        best = c;
      }
    }
    if (best !== j) {
      for (let i = 0; i < m; i++) {
        const t = G[j * m + i]!;
        G[j * m + i] = G[best * m + i]!;
        G[best * m + i] = t;
      }
      const t = perm[j]!;
      perm[j] = perm[best]!;
      perm[best] = t;
    }
    const cj = j * m;
    const alpha = G[cj + j]!;
    // Norm with scaling (no underflow of squares); a column below TINY is left alone (tau = 0).
    let cmax = 0;
    for (let i = j; i < m; i++) cmax = Math.max(cmax, Math.abs(G[cj + i]!));
    if (cmax * cmax < TINY) {
      rdiag[j] = alpha;
      continue;
    }
    let nn = 0;
    for (let i = j; i < m; i++) nn += (G[cj + i]! / cmax) ** 2;
    nn = cmax * Math.sqrt(nn);
    // Sign chosen so that alpha − beta does not cancel.
    const beta = alpha > 0 ? -nn : nn;
    const v0 = alpha - beta;
    for (let i = j + 1; i < m; i++) G[cj + i]! /= v0;
    G[cj + j] = 1;
    tau[j] = (beta - alpha) / beta;
    rdiag[j] = beta;
    for (let k = j + 1; k < n; k++) {
      const ck = k * m;
      let w = 0;
      for (let i = j; i < m; i++) w += G[cj + i]! * G[ck + i]!;
      w *= tau[j]!;
      for (let i = j; i < m; i++) G[ck + i]! -= w * G[cj + i]!;
    }
  }
  const X = new Float64Array(n * n);
  for (let c = 0; c < n; c++) {
    X[c * n + c] = rdiag[c]!;
    for (let i = c + 1; i < n; i++) X[c * n + i] = G[i * m + c]!;
  }
  const r = jacobiTall(X, n, n, n, wantUV);
  if (!wantUV) return r;
  // Columns of U: Q·[V_x e_r; 0] for r < n, Q·e_r beyond (fullMatrices).
  const ut = new Float64Array(uRows * m);
  for (let row = 0; row < uRows; row++) {
    const y = ut.subarray(row * m, (row + 1) * m);
    if (row < n) for (let i = 0; i < n; i++) y[i] = r.vt[row * n + i]!;
    else y[row] = 1;
    for (let j = n - 1; j >= 0; j--) {
      if (tau[j] === 0) continue;
      const cj = j * m;
      let w = 0;
      for (let i = j; i < m; i++) w += G[cj + i]! * y[i]!;
      w *= tau[j]!;
      for (let i = j; i < m; i++) y[i]! -= w * G[cj + i]!;
    }
  }
  // A·P = Q·R ⇒ Vᵀ = U_xᵀ·Pᵀ: column i of U_xᵀ goes to column perm[i].
  const vt = new Float64Array(n * n);
  for (let row = 0; row < n; row++) for (let i = 0; i < n; i++) vt[row * n + perm[i]!] = r.ut[row * n + i]!;
  for (let row = 0; row < n; row++) {
    if (vectorSign(ut, row * m, m) > 0) continue;
    for (let i = 0; i < m; i++) ut[row * m + i] = -ut[row * m + i]!;
    for (let i = 0; i < n; i++) vt[row * n + i] = -vt[row * n + i]!;
  }
  return { s: r.s, ut, vt };
}

interface Raw {
  u: Tensor;
  s: Tensor;
  vt: Tensor;
}

// Used only inside the autodiff primitives; an entry is trusted only if the input data is unchanged
// (tensors' Float64Arrays are mutable).
const cache = new WeakMap<Tensor, { snap: Float64Array; r: Raw }>();

/** Tall SVD (contract of qrJacobi) by the chosen method; GKR falls back to Jacobi if its QR stalls. */
function tall(G: Float64Array, m: number, n: number, uRows: number, wantUV: boolean, method: SvdMethod) {
  return (method === "gkr" ? gkrTall(G, m, n, uRows, wantUV) : null) ?? qrJacobi(G, m, n, uRows, wantUV);
}

/** Float64Array SVD of a batch; u/vt are empty tensors when !wantUV. */
function compute(a: Tensor, full: boolean, wantUV: boolean, fn: string, method: SvdMethod = "gkr"): Raw {
  const { batch, count, m, n } = matInfo(a, fn, "a");
  const k = Math.min(m, n);
  const src = a.data;
  const uc = full ? m : k;
  const vc = full ? n : k;
  const S = new Float64Array(count * k);
  const U = new Float64Array(wantUV ? count * m * uc : 0);
  const VT = new Float64Array(wantUV ? count * vc * n : 0);
  for (let b = 0; b < count; b++) {
    const o = b * m * n;
    // Scale to max|a_ij| = 1 so squared column norms neither overflow nor underflow.
    let big = 0;
    for (let i = 0; i < m * n; i++) big = Math.max(big, Math.abs(src[o + i]!));
    const sc = big > 0 ? big : 1; // divided out, not inverted: 1/big overflows for subnormal big
    const sS = (r: { s: Float64Array }) => {
      for (let i = 0; i < k; i++) S[b * k + i] = r.s[i]! * sc;
    };
    if (m >= n) {
      // GKR reads and returns row-major data directly; Jacobi (or GKR's fallback to it) works on columns.
      if (method === "gkr") {
        const w = new Float64Array(m * n);
        for (let i = 0; i < m * n; i++) w[i] = src[o + i]! / sc;
        const r = gkrRows(w, m, n, uc, wantUV);
        if (r) {
          sS(r);
          if (!wantUV) continue;
          U.set(r.u, b * m * uc);
          VT.set(r.vt, b * n * n);
          continue;
        }
      }
      const G = new Float64Array(m * n);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) G[j * m + i] = src[o + i * n + j]! / sc;
      const r = qrJacobi(G, m, n, uc, wantUV);
      sS(r);
      if (!wantUV) continue;
      for (let i = 0; i < m; i++) for (let c = 0; c < uc; c++) U[b * m * uc + i * uc + c] = r.ut[c * m + i]!;
      VT.set(r.vt, b * n * n);
    } else {
      // Aᵀ = U'SV'ᵀ ⇒ A = V'SU'ᵀ: U = V', Vᵀ = U'ᵀ. The sign convention is re-applied to U below.
      const G = new Float64Array(m * n);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) G[i * n + j] = src[o + i * n + j]! / sc;
      const r = tall(G, n, m, vc, wantUV, method);
      sS(r);
      if (!wantUV) continue;
      // r.vt rows are columns of U (m×m); r.ut rows are rows of Vᵀ (vc × n).
      for (let c = 0; c < m; c++) {
        const sg = vectorSign(r.vt, c * m, m);
        for (let i = 0; i < m; i++) U[b * m * m + i * m + c] = sg * r.vt[c * m + i]!;
        for (let i = 0; i < n; i++) VT[b * vc * n + c * n + i] = sg * r.ut[c * n + i]!;
      }
      for (let c = m; c < vc; c++) for (let i = 0; i < n; i++) VT[b * vc * n + c * n + i] = r.ut[c * n + i]!;
    }
  }
  return {
    s: out(S, [...batch, k]),
    u: out(U, wantUV ? [...batch, m, uc] : [0]),
    vt: out(VT, wantUV ? [...batch, vc, n] : [0]),
  };
}

function thin(a: Tensor): Raw {
  const hit = cache.get(a);
  const d = a.data;
  if (hit && hit.snap.length === d.length && hit.snap.every((x, i) => x === d[i])) return hit.r;
  const r = compute(a, false, true, "svd");
  cache.set(a, { snap: d.slice(), r });
  return r;
}

function jvpParts(a: Tensor, da: Tensor): Record<"s" | "u" | "vt" | "ds" | "du" | "dvt", Tensor> {
  const s = svdS(a);
  const u = svdU(a);
  const vt = svdVt(a);
  const v = mT(vt);
  const m = a.shape[a.rank - 2]!;
  const n = a.shape[a.rank - 1]!;
  const S = matmul(mT(u), matmul(da, v));
  const ds = diagPart(S);
  const sRow = expandDims(s, -2); // [..., 1, k]: scales columns
  const sCol = expandDims(s, -1); // [..., k, 1]: scales rows
  const sq = mul(s, s);
  const k = s.shape[s.rank - 1]!;
  // F_ij = 1/(s_j² − s_i²) off the diagonal.
  const F = offDiagInverse(sub(expandDims(sq, -2), expandDims(sq, -1)), k);
  const SdS = mul(S, sRow);
  const dSS = mul(sCol, S);
  let du = matmul(u, mul(F, add(SdS, mT(SdS))));
  let dv = matmul(v, mul(F, add(dSS, mT(dSS))));
  if (m > n) {
    const dAV = matmul(da, v);
    du = add(du, div(sub(dAV, matmul(u, matmul(mT(u), dAV))), sRow));
  }
  if (n > m) {
    const dAtU = matmul(mT(da), u);
    dv = add(dv, div(sub(dAtU, matmul(v, matmul(vt, dAtU))), sRow));
  }
  return { s, u, vt, ds, du, dvt: mT(dv) };
}

/** 1/x off the diagonal, 0 on it (x has a zero diagonal). */
function offDiagInverse(x: Tensor, k: number): Tensor {
  const I = eyeK(k);
  return mul(sub(1, I), div(1, add(x, I)));
}

function eyeK(k: number): Tensor {
  const d = new Float64Array(k * k);
  for (let i = 0; i < k; i++) d[i * k + i] = 1;
  return tensor(d, [k, k]);
}

/** Singular values (thin SVD), differentiable and nestable. No validation. */
const svdS: (a: Tensor) => Tensor = factorOutput((a) => thin(a).s, jvpParts, "s", "ds");

/** Thin U, differentiable and nestable (distinct non-zero singular values). No validation. */
const svdU: (a: Tensor) => Tensor = factorOutput((a) => thin(a).u, jvpParts, "u", "du");

/** Thin Vᵀ, differentiable and nestable (distinct non-zero singular values). No validation. */
const svdVt: (a: Tensor) => Tensor = factorOutput((a) => thin(a).vt, jvpParts, "vt", "dvt");

/**
 * SVD of a (batch of) m×n matrix: a = u·diag(s)·vt with s descending. Thin factors are differentiable
 * (distinct non-zero singular values) and nest; with fullMatrices and m ≠ n the extra columns are not
 * differentiable (ValueError under autodiff).
 */
export function svd(a: TensorLike, opts?: SvdOptions & { computeUV?: true }): SvdResult;
/** With computeUV: false only the singular values are computed. */
export function svd(a: TensorLike, opts: SvdOptions & { computeUV: false }): { s: Tensor };
export function svd(a: TensorLike, opts?: SvdOptions): SvdResult | { s: Tensor };
export function svd(a: TensorLike, opts: SvdOptions = {}): SvdResult | { s: Tensor } {
  const A = asTensor(a, "a");
  const { fullMatrices = false, computeUV = true, method = "gkr" } = opts;
  if (method !== "gkr" && method !== "jacobi") {
    throw new ValueError(`svd: options.method must be 'gkr' or 'jacobi', got ${String(method)}`);
  }
  const { m, n } = matInfo(A, "svd", "a");
  if (!computeUV) {
    return { s: svdvals(A, { method }) };
  }
  const full = fullMatrices && m !== n;
  if (isConcrete(A)) {
    const r = compute(A, full, true, "svd", method);
    return { u: r.u, s: r.s, vt: r.vt };
  }
  if (full) throw new ValueError("svd: fullMatrices with m ≠ n is not differentiable; use fullMatrices: false");
  return { u: svdU(A), s: svdS(A), vt: svdVt(A) };
}

/** Singular values (descending) of a (batch of) m×n matrix. Differentiable (distinct values), nestable. */
export function svdvals(a: TensorLike, opts: { method?: SvdMethod } = {}): Tensor {
  const A = asTensor(a, "a");
  matInfo(A, "svdvals", "a");
  if (isConcrete(A)) return compute(A, false, false, "svdvals", opts.method ?? "gkr").s;
  return svdS(A);
}
