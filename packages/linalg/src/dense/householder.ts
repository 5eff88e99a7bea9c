// Householder reflectors (LAPACK dlarfg; Golub & Van Loan, "Matrix Computations", §5.1.2) with the scaling
// that keeps tiny and huge columns accurate, shared by the unblocked and blocked bidiagonalisations.

export const sign = (a: number, b: number): number => (b >= 0 ? Math.abs(a) : -Math.abs(a));

/** √(f² + g²) without overflow or harmful underflow. */
export function pythag(f: number, g: number): number {
  const a = Math.max(Math.abs(f), Math.abs(g));
  if (a > 1e-150 && a < 1e150) return Math.sqrt(f * f + g * g);
  if (a === 0) return 0;
  const x = f / a;
  const y = g / a;
  return a * Math.sqrt(x * x + y * y);
}

/**
 * Householder reflector (LAPACK dlarfg) for x = w[o], w[o + stride], … (len entries): H·x = β·e₁ with
 * H = I − τ·v·vᵀ, v₀ = 1; v₁… overwrite x₁…. Returns β, τ in house[0..1].
 */
export const house = new Float64Array(2);
/** LAPACK's safmin = tiny/eps: reflectors with |β| below it are computed on x rescaled by 1/safmin. */
const SAFMIN = 2 ** -969;
function scaledNorm(w: Float64Array, o: number, len: number, stride: number): number {
  let big = 0;
  for (let i = 1; i < len; i++) big = Math.max(big, Math.abs(w[o + i * stride]!));
  if (big === 0) return 0;
  // Scaled sum of squares: no overflow or underflow of the squares.
  let ss = 0;
  for (let i = 1; i < len; i++) {
    const t = w[o + i * stride]! / big;
    ss += t * t;
  }
  return big * Math.sqrt(ss);
}
export function larfg(w: Float64Array, o: number, len: number, stride: number): void {
  let alpha = w[o]!;
  let xnorm = scaledNorm(w, o, len, stride);
  if (xnorm === 0) {
    house[0] = alpha;
    house[1] = 0;
    return;
  }
  let beta = -sign(pythag(alpha, xnorm), alpha);
  let knt = 0;
  if (Math.abs(beta) < SAFMIN) {
    // Tiny (possibly subnormal) column: rescale by a power of two (exact) so that v keeps full precision.
    while (Math.abs(beta) < SAFMIN && knt < 20) {
      knt++;
      for (let i = 1; i < len; i++) w[o + i * stride]! /= SAFMIN;
      beta /= SAFMIN;
      alpha /= SAFMIN;
    }
    xnorm = scaledNorm(w, o, len, stride);
    beta = -sign(pythag(alpha, xnorm), alpha);
  }
  // Divide rather than multiply by the reciprocal: |x_i| ≤ |α − β|, while 1/(α − β) may overflow.
  const den = alpha - beta;
  for (let i = 1; i < len; i++) w[o + i * stride]! /= den;
  house[1] = (beta - alpha) / beta;
  for (let j = 0; j < knt; j++) beta *= SAFMIN;
  house[0] = beta;
}

/**
 * Step k of a bidiagonalisation of the row-major m×n w (LAPACK dgebd2/dlabrd), left half: the reflector that
 * zeroes column k below the diagonal; β → d[k], τ → tq[k] (returned), v overwrites the column.
 */
export function leftReflector(
  w: Float64Array,
  m: number,
  n: number,
  k: number,
  d: Float64Array,
  tq: Float64Array,
): number {
  larfg(w, k * n + k, m - k, n);
  d[k] = house[0]!;
  tq[k] = house[1]!;
  return house[1]!;
}

/**
 * Right half: the reflector that zeroes row k right of the superdiagonal (none when k + 2 ≥ n); β → e[k],
 * τ → tp[k] (returned), v overwrites the row.
 */
export function rightReflector(w: Float64Array, n: number, k: number, e: Float64Array, tp: Float64Array): number {
  const o = k * n + k + 1;
  let tau = 0;
  if (k + 2 < n) {
    larfg(w, o, n - k - 1, 1);
    e[k] = house[0]!;
    tau = house[1]!;
  } else e[k] = w[o]!;
  tp[k] = tau;
  return tau;
}
