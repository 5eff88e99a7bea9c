// BLAS-1 helpers on Float64Array for the optimiser inner loops (no per-element allocation).

export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

export function norm2(a: Float64Array): number {
  return Math.sqrt(dot(a, a));
}

export function normInf(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]!);
    if (v > m || Number.isNaN(v)) m = v;
  }
  return m;
}

/** out = x + alpha·p (allocates when out is omitted). */
export function axpy(x: Float64Array, alpha: number, p: Float64Array, out = new Float64Array(x.length)): Float64Array {
  for (let i = 0; i < x.length; i++) out[i] = x[i]! + alpha * p[i]!;
  return out;
}

/**
 * One CG update of the model gradient's residual, fused into a single pass: z += a·d, r += a·Bd; returns ‖r‖²
 * (truncated CG for Newton-CG and Steihaug's CG for trust-ncg; r = Bz + g, so it moves along +Bd).
 */
export function cgStep(z: Float64Array, r: Float64Array, a: number, d: Float64Array, Bd: Float64Array): number {
  let rr = 0;
  for (let i = 0; i < z.length; i++) {
    z[i]! += a * d[i]!;
    const ri = r[i]! + a * Bd[i]!;
    r[i] = ri;
    rr += ri * ri;
  }
  return rr;
}

export function scaled(a: Float64Array, alpha: number): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = alpha * a[i]!;
  return out;
}

export function sub(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! - b[i]!;
  return out;
}

export function allFinite(a: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i]!)) return false;
  return true;
}
