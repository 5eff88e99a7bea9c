// Blocked Householder bidiagonalisation A = Q_U·B·Q_Vᵀ (LAPACK dgebrd/dlabrd: Dongarra, Sorensen & Hammarling
// 1989, "Block reduction of matrices to condensed forms for eigenvalue computations"). Within a panel of NB
// rows/columns the reflectors see the trailing matrix through the pending update A − U·Yᵀ − X·Vᵀ, so the
// trailing matrix is read only by two matrix–vector products per step; the update itself is applied once per
// panel as one matrix product through @x/tensor's SIMD matmul. Same storage and results (to rounding) as the
// unblocked bidiagonalise in golub-kahan-svd.ts. The panel vectors are kept packed one per row, so every
// inner loop runs along contiguous memory of the row-major matrix.
import { matVec } from "./gemv-wasm.js";
import { leftReflector, rightReflector } from "./householder.js";
import { panelUpdate } from "./panel-update.js";

const NB = 16;

/**
 * Same contract as bidiagonalise (golub-kahan-svd.ts): the row-major m×n (m ≥ n) a is reduced in place to
 * upper bidiagonal (d, e); left reflector k has v below the diagonal of column k and τ in tq[k], right
 * reflector k has u right of the superdiagonal of row k and τ in tp[k]. `nb` is the panel width; `kernels`
 * picks the matrix–vector kernels (gemv-wasm.ts; tests force each).
 */
export function gebrdBlocked(
  a: Float64Array,
  m: number,
  n: number,
  d: Float64Array,
  e: Float64Array,
  tq: Float64Array,
  tp: Float64Array,
  nb = NB,
  kernels: "auto" | "wasm" | "js" = "auto",
): void {
  nb = Math.max(1, nb);
  // The matrix and the panel vectors live where the matrix–vector kernels can read them (gemv-wasm.ts).
  const lens = [m * n, nb * m, nb * m, nb * n, nb * n];
  const mv = matVec(8 * lens.reduce((a, b) => a + b, 0), kernels);
  const [w, Up, Xp, Yp, Vp] = mv.alloc(lens) as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
  w.set(a.subarray(0, m * n));
  const cu = new Float64Array(nb);
  const cx = new Float64Array(nb);
  for (let k0 = 0; k0 < n; k0 += nb) {
    const kb = Math.min(nb, n - k0);
    Up.fill(0);
    Xp.fill(0);
    Yp.fill(0);
    Vp.fill(0);
    for (let i = 0; i < kb; i++) {
      const k = k0 + i;
      const rk = k * n;
      // Column k (rows k..m) through the pending panel update, each (strided) entry read and written once.
      if (i > 0) {
        for (let j = 0; j < i; j++) {
          cu[j] = Yp[j * n + k]!;
          cx[j] = Vp[j * n + k]!;
        }
        for (let r = k; r < m; r++) {
          let s = 0;
          for (let j = 0; j < i; j++) s += Up[j * m + r]! * cu[j]! + Xp[j * m + r]! * cx[j]!;
          w[r * n + k]! -= s;
        }
      }
      // Left reflector: zero column k below the diagonal.
      const tauq = leftReflector(w, m, n, k, d, tq);
      const ui = i * m;
      Up[ui + k] = 1;
      for (let r = k + 1; r < m; r++) Up[ui + r] = w[r * n + k]!;
      if (k + 1 >= n) continue;
      const j0 = k + 1;
      const yi = i * n;
      // y = τ_q·(A_curᵀ·u) on columns j0..n: the stale trailing rows (axpy along contiguous rows), then
      // the panel corrections −Y·(Uᵀu) − Vᵀ·(Xᵀu).
      if (tauq !== 0) {
        mv.gemvT(w, n, k, m, j0, Up, ui, Yp, yi);
        for (let j = 0; j < i; j++) {
          let a1 = 0;
          let a2 = 0;
          const uj = j * m;
          for (let r = k; r < m; r++) {
            a1 += Up[uj + r]! * Up[ui + r]!;
            a2 += Xp[uj + r]! * Up[ui + r]!;
          }
          cu[j] = a1;
          cx[j] = a2;
        }
        for (let j = 0; j < i; j++) {
          const a1 = cu[j]!;
          const a2 = cx[j]!;
          const yj = j * n;
          for (let c = j0; c < n; c++) Yp[yi + c]! -= Yp[yj + c]! * a1 + Vp[yj + c]! * a2;
        }
        for (let c = j0; c < n; c++) Yp[yi + c]! *= tauq;
      }
      // Row k (columns j0..n) through the panel update, including this step's left reflector.
      for (let j = 0; j <= i; j++) {
        const uk = Up[j * m + k]!;
        const xk = j < i ? Xp[j * m + k]! : 0;
        if (uk === 0 && xk === 0) continue;
        const yj = j * n;
        for (let c = j0; c < n; c++) w[rk + c]! -= Yp[yj + c]! * uk + Vp[yj + c]! * xk;
      }
      // Right reflector from the updated row k: zero it right of the superdiagonal.
      const taup = rightReflector(w, n, k, e, tp);
      Vp[yi + j0] = 1;
      for (let c = j0 + 1; c < n; c++) Vp[yi + c] = w[rk + c]!;
      if (taup === 0) continue;
      // x = τ_p·(A_cur·v) on rows k+1..m: stale rows (contiguous dots), then −U·(Yᵀv) − X·(V·v).
      mv.gemv(w, n, k + 1, m, j0, Vp, yi, Xp, ui);
      for (let j = 0; j <= i; j++) {
        let a1 = 0;
        let a2 = 0;
        const yj = j * n;
        for (let c = j0; c < n; c++) {
          a1 += Yp[yj + c]! * Vp[yi + c]!;
          if (j < i) a2 += Vp[yj + c]! * Vp[yi + c]!;
        }
        cu[j] = a1;
        cx[j] = a2;
      }
      for (let j = 0; j <= i; j++) {
        const a1 = cu[j]!;
        const a2 = j < i ? cx[j]! : 0;
        const uj = j * m;
        for (let r = k + 1; r < m; r++) Xp[ui + r]! -= Up[uj + r]! * a1 + Xp[uj + r]! * a2;
      }
      for (let r = k + 1; r < m; r++) Xp[ui + r]! *= taup;
    }
    // Trailing block A[k1:, k1:] −= U·Yᵀ + X·Vᵀ.
    const k1 = k0 + kb;
    panelUpdate(
      w,
      k1 * n + k1,
      n,
      m - k1,
      n - k1,
      kb,
      { v: Up, off: k1, ld: m },
      { v: Xp, off: k1, ld: m },
      { v: Yp, off: k1, ld: n },
      { v: Vp, off: k1, ld: n },
    );
  }
  a.set(w);
}
