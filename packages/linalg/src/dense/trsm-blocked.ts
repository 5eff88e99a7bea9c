// Triangular solve op(T)·X = B with many right-hand sides, blocked and left-looking (Golub & Van Loan, "Matrix
// Computations", 4th ed., §3.1.4 "block triangular systems"): each block row of X first takes the product of op(T)
// with the rows already solved, through @x/tensor's SIMD matmul, then forward/back substitution (§3.1) with its
// diagonal block, read in place. One block spanning all of T is plain substitution: trsm picks that for small
// systems and few right-hand sides, where the GEMM would not pay for itself.
import { gemmF64 } from "@x/tensor";

const NB = 64;

/**
 * Solves op(T)·X = B in place in b[bOff..] (n×k row-major), op(T) = T or Tᵀ, reading only the given triangle of
 * the n×n block t[tOff..]; a unit diagonal is assumed (not read) if `unit`. Diagonal blocks have order nb, by
 * default 64 from n ≥ 128 and k ≥ 16, else n (plain substitution); tests pass small nb.
 */
export function trsm(
  t: Float64Array,
  tOff: number,
  n: number,
  b: Float64Array,
  bOff: number,
  k: number,
  lower: boolean,
  trans: boolean,
  unit: boolean,
  nb = n >= 128 && k >= 16 ? NB : n,
): void {
  const forward = lower !== trans;
  const blocks = Math.ceil(n / nb);
  for (let q = 0; q < blocks; q++) {
    const bi = forward ? q : blocks - 1 - q;
    const i0 = bi * nb;
    const i1 = Math.min(n, i0 + nb);
    // Rows of X already solved: [0, i0) going forward, [i1, n) going backward.
    const d0 = forward ? 0 : i1;
    const d1 = forward ? i0 : n;
    const w = d1 - d0;
    if (w > 0) {
      // X[i0:i1] −= op(T)[i0:i1, d0:d1]·X[d0:d1] in place: op(T)'s block is read straight from t (as a
      // transposed view when trans), and the rows of X read and written are disjoint.
      gemmF64(t, b, i1 - i0, w, k, b, {
        transA: trans,
        alpha: -1,
        beta: 1,
        aOffset: trans ? tOff + d0 * n + i0 : tOff + i0 * n + d0,
        lda: n,
        bOffset: bOff + d0 * k,
        ldb: k,
        outOffset: bOff + i0 * k,
        ldOut: k,
      });
    }
    substitute(t, tOff + i0 * n + i0, n, i1 - i0, b, bOff + i0 * k, k, forward, trans, unit);
  }
}

/**
 * Substitution for the order-h diagonal block at t[o..] (row stride ld) against the h×k rows of b at bOff:
 * forward (first row first) when op(T) is lower. Each variant reads T along its rows (contiguous).
 */
function substitute(
  t: Float64Array,
  o: number,
  ld: number,
  h: number,
  b: Float64Array,
  bOff: number,
  k: number,
  forward: boolean,
  trans: boolean,
  unit: boolean,
): void {
  if (trans) {
    // op(T) = Tᵀ: column-oriented (axpy) substitution, row i of T scattering x_i into the rows still open.
    for (let s = 0; s < h; s++) {
      const i = forward ? s : h - 1 - s;
      const bi = bOff + i * k;
      const ti = o + i * ld;
      if (!unit) {
        const d = t[ti + i]!;
        for (let j = 0; j < k; j++) b[bi + j]! /= d;
      }
      const r0 = forward ? i + 1 : 0;
      const r1 = forward ? h : i;
      if (k === 1) {
        const xi = b[bi]!;
        if (xi !== 0) for (let r = r0; r < r1; r++) b[bOff + r]! -= t[ti + r]! * xi;
        continue;
      }
      for (let r = r0; r < r1; r++) {
        const c = t[ti + r]!;
        if (c !== 0) {
          const br = bOff + r * k;
          for (let j = 0; j < k; j++) b[br + j]! -= c * b[bi + j]!;
        }
      }
    }
    return;
  }
  for (let s = 0; s < h; s++) {
    const i = forward ? s : h - 1 - s;
    const bi = bOff + i * k;
    const ti = o + i * ld;
    const r0 = forward ? 0 : i + 1;
    const r1 = forward ? i : h;
    if (k === 1) {
      // Vector right-hand side: a dot product along row i of T, in four partial sums so the additions
      // overlap instead of waiting on one another.
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      let r = r0;
      for (; r + 4 <= r1; r += 4) {
        a0 += t[ti + r]! * b[bOff + r]!;
        a1 += t[ti + r + 1]! * b[bOff + r + 1]!;
        a2 += t[ti + r + 2]! * b[bOff + r + 2]!;
        a3 += t[ti + r + 3]! * b[bOff + r + 3]!;
      }
      for (; r < r1; r++) a0 += t[ti + r]! * b[bOff + r]!;
      const acc = b[bi]! - (a0 + a1 + (a2 + a3));
      b[bi] = unit ? acc : acc / t[ti + i]!;
      continue;
    }
    for (let r = r0; r < r1; r++) {
      const c = t[ti + r]!;
      if (c !== 0) {
        const br = bOff + r * k;
        for (let j = 0; j < k; j++) b[bi + j]! -= c * b[br + j]!;
      }
    }
    if (!unit) {
      const d = t[ti + i]!;
      for (let j = 0; j < k; j++) b[bi + j]! /= d;
    }
  }
}
