// Blocked Householder tridiagonalisation of a symmetric matrix, A = Q·T·Qᵀ (LAPACK dsytrd/dlatrd:
// Dongarra, Hammarling & Sorensen 1989, "Block reduction of matrices to condensed forms for eigenvalue
// computations"), and the blocked back-transformation Q·Z with compact-WY block reflectors (Schreiber &
// Van Loan 1989; LAPACK dormtr, via block-reflector.ts). Within a panel of NB columns each reflector sees the
// matrix through the pending rank-2k update A − V·Wᵀ − W·Vᵀ; the update itself is applied once per
// panel as one matrix product, and so is every block of the back-transformation. Row-major storage with
// both triangles kept, so that row k is column k and every inner loop runs along contiguous memory.
import { applyReflectors } from "./block-reflector.js";
import { matVec } from "./gemv-wasm.js";
import { panelUpdate } from "./panel-update.js";

const NB = 32;

export interface Tridiagonal {
  /** Diagonal of T (length n). */
  d: Float64Array;
  /** Off-diagonal of T: e[k] couples k and k+1 (length n; e[n−1] = 0). */
  e: Float64Array;
  /** Row k holds the Householder vector v_k (zero before k+1, v_k[k+1] = 1), n×n row-major. */
  v: Float64Array;
  /** Reflector scalars: H_k = I − τ_k·v_k·v_kᵀ, Q = H_0·H_1⋯H_{n−2}. */
  tau: Float64Array;
}

/**
 * Tridiagonalises the full symmetric n×n row-major a0 (kept). `nb` is the panel width; `kernels` picks the
 * matrix–vector kernel (gemv-wasm.ts; tests force each).
 */
export function sytrd(a0: Float64Array, n: number, nb = NB, kernels: "auto" | "wasm" | "js" = "auto"): Tridiagonal {
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const tau = new Float64Array(n);
  nb = Math.max(1, nb);
  // The matrix, the reflectors and A·v live where the matrix–vector kernel can read them.
  const mv = matVec(8 * (2 * n * n + n), kernels);
  const [a, v, p] = mv.alloc([n * n, n * n, n]) as [Float64Array, Float64Array, Float64Array];
  a.set(a0.subarray(0, n * n));
  const W = new Float64Array(nb * n);
  const cv = new Float64Array(nb);
  const cw = new Float64Array(nb);
  for (let k0 = 0; k0 < n - 1; k0 += nb) {
    const kb = Math.min(nb, n - 1 - k0);
    W.fill(0);
    for (let t = 0; t < kb; t++) {
      const k = k0 + t;
      const rk = k * n;
      // Row k (= column k) through the pending panel update.
      for (let s = 0; s < t; s++) {
        const vs = v.subarray((k0 + s) * n, (k0 + s + 1) * n);
        const ws = W.subarray(s * n, (s + 1) * n);
        const vk = vs[k]!;
        const wk = ws[k]!;
        for (let i = k; i < n; i++) a[rk + i]! -= vk * ws[i]! + wk * vs[i]!;
      }
      d[k] = a[rk + k]!;
      // Householder reflector for x = a[k, k+1..n) (dlarfg).
      const alpha = a[rk + k + 1]!;
      let big = 0;
      for (let i = k + 2; i < n; i++) big = Math.max(big, Math.abs(a[rk + i]!));
      const vk = v.subarray(rk, rk + n);
      vk[k + 1] = 1;
      // A (scaled) tail below 1e-280 counts as zero: dividing by it would lose all bits.
      if (big < 1e-280) {
        e[k] = alpha;
        tau[k] = 0;
        continue;
      }
      let ss = 0;
      for (let i = k + 2; i < n; i++) {
        const x = a[rk + i]! / big;
        ss += x * x;
      }
      const xnorm = big * Math.sqrt(ss);
      const beta = -(alpha >= 0 ? 1 : -1) * Math.hypot(alpha, xnorm);
      const tk = (beta - alpha) / beta;
      const den = alpha - beta;
      for (let i = k + 2; i < n; i++) vk[i] = a[rk + i]! / den;
      e[k] = beta;
      tau[k] = tk;
      // p = τ·(A_cur·v) over the trailing rows, with A_cur = A − Σ_s (v_s·w_sᵀ + w_s·v_sᵀ).
      const j0 = k + 1;
      mv.gemv(a, n, j0, n, j0, v, rk, p, 0);
      for (let s = 0; s < t; s++) {
        const vs = v.subarray((k0 + s) * n, (k0 + s + 1) * n);
        const ws = W.subarray(s * n, (s + 1) * n);
        let a1 = 0;
        let a2 = 0;
        for (let j = j0; j < n; j++) {
          a1 += ws[j]! * vk[j]!;
          a2 += vs[j]! * vk[j]!;
        }
        cw[s] = a1;
        cv[s] = a2;
      }
      for (let s = 0; s < t; s++) {
        const vs = v.subarray((k0 + s) * n, (k0 + s + 1) * n);
        const ws = W.subarray(s * n, (s + 1) * n);
        const a1 = cw[s]!;
        const a2 = cv[s]!;
        for (let i = j0; i < n; i++) p[i]! -= vs[i]! * a1 + ws[i]! * a2;
      }
      // w = p − (τ/2)(pᵀv)·v, so that H·A·H = A − v·wᵀ − w·vᵀ.
      let pv = 0;
      for (let i = j0; i < n; i++) {
        p[i]! *= tk;
        pv += p[i]! * vk[i]!;
      }
      const al = -0.5 * tk * pv;
      const wt = W.subarray(t * n, (t + 1) * n);
      for (let i = j0; i < n; i++) wt[i] = p[i]! + al * vk[i]!;
    }
    // Trailing block A[k1:, k1:] −= V·Wᵀ + W·Vᵀ.
    const k1 = k0 + kb;
    const V = { v, off: k0 * n + k1, ld: n };
    const Wp = { v: W, off: k1, ld: n };
    panelUpdate(a, k1 * n + k1, n, n - k1, n - k1, kb, V, Wp, Wp, V);
  }
  if (n > 0) d[n - 1] = a[(n - 1) * n + n - 1]!;
  // The module memory is reused by the next reduction: the reflectors are copied out.
  return { d, e, v: mv.backend === "wasm" ? v.slice() : v, tau };
}

/** Z ← Q·Z in place for the Q of sytrd (n×n; z row-major with `cols` columns), by blocked reflectors. */
export function applyQ(tri: Tridiagonal, n: number, z: Float64Array, cols: number, nb = NB): void {
  applyReflectors(tri.v, n, tri.tau, Math.max(0, n - 1), 1, z, cols, nb);
}
