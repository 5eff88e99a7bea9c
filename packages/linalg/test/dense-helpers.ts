// Deterministic dense test matrices and residuals shared by the dense factorization tests.

/** len uniform(−½, ½) values from a small LCG (fast for n ≈ 200, unlike per-entry arbitraries). */
export function lcg(len: number, seed: number): Float64Array {
  let s = seed >>> 0 || 1;
  return Float64Array.from({ length: len }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  });
}

/** SPD test matrix G·Gᵀ/n + I. */
export function spd(n: number, seed: number): Float64Array {
  const g = lcg(n * n, seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let t = 0;
      for (let k = 0; k < n; k++) t += g[i * n + k]! * g[j * n + k]!;
      a[i * n + j] = a[j * n + i] = t / n + (i === j ? 1 : 0);
    }
  }
  return a;
}

/** max |(P·A − L·U)_ij| for packed factors of the m×n matrix a. */
export function luResidual(a: Float64Array, lu: Float64Array, piv: Int32Array, m: number, n: number): number {
  const pa = Float64Array.from(a);
  const k = Math.min(m, n);
  for (let i = 0; i < k; i++) {
    const p = piv[i]!;
    for (let j = 0; j < n; j++) {
      const t = pa[i * n + j]!;
      pa[i * n + j] = pa[p * n + j]!;
      pa[p * n + j] = t;
    }
  }
  let e = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t <= Math.min(i, j, k - 1); t++)
        s += (t === i ? 1 : lu[i * n + t]!) * (t <= j ? lu[t * n + j]! : 0);
      e = Math.max(e, Math.abs(pa[i * n + j]! - s));
    }
  }
  return e;
}
