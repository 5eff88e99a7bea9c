// Implicit QL iteration with Wilkinson-type shifts for a symmetric tridiagonal matrix (tql2 of the
// EISPACK / JAMA lineage; Golub & Van Loan, "Matrix Computations", §8.3). Shared by eigh (small n and
// eigenvalues only), by the leaves of the divide-and-conquer solver (tridiagonal-dc.ts) and by the spectral
// tools' tridiagonalEig (Lanczos Ritz values, SLQ quadrature).
import { ValueError } from "@x/tensor";

const EPS = 2 ** -52;

function hyp(a: number, b: number): number {
  const x = Math.abs(a);
  const y = Math.abs(b);
  if (x > y) {
    const r = y / x;
    return x * Math.sqrt(1 + r * r);
  }
  if (y === 0) return 0;
  const r = x / y;
  return y * Math.sqrt(1 + r * r);
}

/**
 * Eigenvalues (unsorted, into d) of the n×n symmetric tridiagonal with diagonal d[0..n) and off-diagonal
 * e[i] coupling i and i+1 (e has length ≥ n; e[n−1] is ignored and e is destroyed). If `w` is given, its
 * rows w[i·len .. i·len+len) are rotated along: starting from rows of Qᵀ, row i ends as the eigenvector of
 * eigenvalue d[i] (rotations touch two contiguous rows). Throws a ValueError naming `fn` if an eigenvalue needs
 * > 60 sweeps.
 */
export function tql2(
  d: Float64Array,
  e: Float64Array,
  n: number,
  w: Float64Array | null,
  len: number,
  fn = "eigh",
): void {
  if (n === 0) return;
  e[n - 1] = 0;
  let f = 0;
  // Deflation threshold relative to the whole tridiagonal (a running maximum, as in JAMA, fails when
  // the leading entries are zero and the next off-diagonal is subnormal).
  let tst1 = 0;
  for (let l = 0; l < n; l++) tst1 = Math.max(tst1, Math.abs(d[l]!) + Math.abs(e[l]!));
  for (let l = 0; l < n; l++) {
    let m = l;
    while (m < n - 1 && Math.abs(e[m]!) > EPS * tst1) m++;
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 60) throw new ValueError(`${fn}: the QL iteration did not converge`);
        let g = d[l]!;
        let p = (d[l + 1]! - g) / (2 * e[l]!);
        let r = hyp(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l]! / (p + r);
        d[l + 1] = e[l]! * (p + r);
        const dl1 = d[l + 1]!;
        let h = g - d[l]!;
        for (let i = l + 2; i < n; i++) d[i]! -= h;
        f += h;
        p = d[m]!;
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1]!;
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i]!;
          h = c * p;
          r = hyp(p, e[i]!);
          e[i + 1] = s * r;
          s = e[i]! / r;
          c = p / r;
          p = c * d[i]! - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]!);
          if (w) {
            const r0 = i * len;
            const r1 = (i + 1) * len;
            for (let k = 0; k < len; k++) {
              const hk = w[r1 + k]!;
              const wk = w[r0 + k]!;
              w[r1 + k] = s * wk + c * hk;
              w[r0 + k] = c * wk - s * hk;
            }
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]!) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]!) > EPS * tst1);
    }
    d[l] = d[l]! + f;
    e[l] = 0;
  }
}
