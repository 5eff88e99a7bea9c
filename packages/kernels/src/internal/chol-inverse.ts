// (L·Lᵀ)⁻¹ from a lower Cholesky factor, as LAPACK's potri does it: trtri (M = L⁻¹) then lauum (MᵀM), both
// blocked by b×b tiles so that every product skips the structurally zero tiles (LAPACK Users' Guide, 3rd ed., 1999,
// dpotri = dtrtri + dlauum; Golub & Van Loan, Matrix Computations, 4th ed., §3.1): ≈ n³/3 + n³/3 flops, nearly
// all in @x/tensor's SIMD matmul.
// M is kept as column panels Pⱼ = M[j₀:n, j₀:j₁] (row-major), so the operands of both phases are contiguous prefixes or
// row-contiguous gathers; no recursion, few copies (allocation and copying, not flops, dominated the earlier
// recursive 2×2 version). Float64 fast path for the LML gradient (not differentiable).
import { gemmF64, type Tensor } from "@x/tensor";
import { mirrorLowerToUpper } from "./mirror.js";

/** Tile size: large enough for the SIMD GEMM to run near its peak, small enough to waste little on triangles. */
const NB = 128;

/** a [m×k] · b [k×n] through @x/tensor's float64 SIMD GEMM (float64 even when the default backend is gpujs). */
const mm = gemmF64;

/** Inverse of the lower-triangular diagonal tile L[o:o+b, o:o+b] by row-wise forward substitution. */
function tileInverse(l: Float64Array, n: number, o: number, b: number): Float64Array {
  // Row i of T = L⁻¹ from L·T = I: T[i,:] = (eᵢ − Σ_{k<i} L[i][k]·T[k,:]) / L[i][i] — contiguous row updates.
  const t = new Float64Array(b * b);
  for (let i = 0; i < b; i++) {
    const li = (o + i) * n + o;
    const ri = i * b;
    for (let k = 0; k < i; k++) {
      const lik = l[li + k]!;
      if (lik === 0) continue;
      const rk = k * b;
      for (let j = 0; j <= k; j++) t[ri + j] = t[ri + j]! - lik * t[rk + j]!;
    }
    const inv = 1 / l[li + i]!;
    for (let j = 0; j < i; j++) t[ri + j] = t[ri + j]! * inv;
    t[ri + i] = inv;
  }
  return t;
}

/** Buffers of one potri of size n, reusable across calls (an L-BFGS fit inverts many matrices of one size). */
export interface PotriWorkspace {
  readonly n: number;
  /** Column panels P_J = M[j₀:n, j₀:j₁] of M = L⁻¹. */
  readonly panels: Float64Array[];
  /** Gathered operands: a row tile of L (NB × n) or the lauum right factor (n − j₀) × j₁. */
  readonly gather: Float64Array;
  /** P_Jᵀ (NB × n). */
  readonly panelT: Float64Array;
  /** The result (L·Lᵀ)⁻¹, n × n. */
  readonly out: Float64Array;
}

export function potriWorkspace(n: number): PotriWorkspace {
  const panels: Float64Array[] = [];
  let gatherSize = NB * n;
  for (let j0 = 0; j0 < n; j0 += NB) {
    const b = Math.min(NB, n - j0);
    panels.push(new Float64Array((n - j0) * b));
    gatherSize = Math.max(gatherSize, (n - j0) * (j0 + b));
  }
  return {
    n,
    panels,
    gather: new Float64Array(gatherSize),
    panelT: new Float64Array(NB * n),
    out: new Float64Array(n * n),
  };
}

/**
 * (L·Lᵀ)⁻¹, full and exactly symmetric, row-major [n×n], from the lower Cholesky factor (upper triangle unread).
 * Every entry of the workspace is overwritten before it is read, so it needs no clearing between calls; the result
 * is `ws.out` (overwritten by the next call with the same workspace).
 */
export function choleskyInverse(l: Tensor, ws?: PotriWorkspace): Float64Array {
  const n = l.shape[0]!;
  const w = ws?.n === n ? ws : potriWorkspace(n);
  const L = l.data;
  const nt = Math.ceil(n / NB);
  const start = (t: number) => t * NB;
  const size = (t: number) => Math.min(NB, n - t * NB);
  const P = w.panels;
  const gather = w.gather;
  const panelT = w.panelT;

  // trtri, row tile by row tile: (L·M)[I,J] = 0 for I > J gives M[I,J] = −M[I,I]·Σ_{K=J}^{I−1} L[I,K]·M[K,J], where
  // M[J:I, J] is a prefix of panel P_J and L[I, J:I] one gathered block: only non-zero tiles are multiplied.
  // Operands are views of exact length into the gather buffers (matmul copies them into its own memory).
  for (let I = 0; I < nt; I++) {
    const i0 = start(I);
    const bi = size(I);
    const mii = tileInverse(L, n, i0, bi);
    P[I]!.set(mii, 0);
    for (let J = 0; J < I; J++) {
      const j0 = start(J);
      const bj = size(J);
      const wd = i0 - j0;
      const lij = gather.subarray(0, bi * wd);
      for (let r = 0; r < bi; r++) {
        const src = (i0 + r) * n + j0;
        const dst = r * wd;
        for (let c = 0; c < wd; c++) lij[dst + c] = L[src + c]!;
      }
      const s = mm(lij, P[J]!.subarray(0, wd * bj), bi, wd, bj);
      const mij = mm(mii, s, bi, bi, bj);
      const pj = P[J]!;
      const off = wd * bj;
      for (let q = 0; q < bi * bj; q++) pj[off + q] = -mij[q]!;
    }
  }

  // lauum, row tile by row tile of the lower triangle: (MᵀM)[J, 0:j₁] = P_Jᵀ · M[j₀:n, 0:j₁] (rows of M above j₀ are
  // zero in columns ≥ j₀). The right factor is gathered row by row from the panels (contiguous runs), P_Jᵀ is a
  // small transpose, and the product fills rows j₀…j₁ of R directly; the upper triangle is mirrored at the end.
  const R = w.out;
  for (let J = 0; J < nt; J++) {
    const j0 = start(J);
    const bj = size(J);
    const j1 = j0 + bj;
    const h = n - j0;
    const rhs = gather.subarray(0, h * j1);
    for (let I = 0; I <= J; I++) {
      const i0 = start(I);
      const bi = size(I);
      const pi = P[I]!;
      const skip = j0 - i0;
      for (let r = 0; r < h; r++) {
        const src = (skip + r) * bi;
        const dst = r * j1 + i0;
        for (let c = 0; c < bi; c++) rhs[dst + c] = pi[src + c]!;
      }
    }
    const pj = P[J]!;
    const pt = panelT.subarray(0, bj * h);
    for (let r = 0; r < h; r++) {
      const src = r * bj;
      for (let c = 0; c < bj; c++) pt[c * h + r] = pj[src + c]!;
    }
    const out = mm(pt, rhs, bj, h, j1);
    for (let c = 0; c < bj; c++) {
      const ro = c * j1;
      const ri = (j0 + c) * n;
      for (let i = 0; i <= j0 + c; i++) R[ri + i] = out[ro + i]!;
    }
  }
  mirrorLowerToUpper(R, n);
  return R;
}
