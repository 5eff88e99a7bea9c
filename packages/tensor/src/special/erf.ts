// Error function family erf, erfc and the scaled erfcx(x) = exp(x²) erfc(x), in float64.
//
// Method: W. J. Cody, "Rational Chebyshev approximations for the error function", Math. Comp. 23
// (1969) 631–637, as implemented in his CALERF routine (SPECFUN, 1990):
// - |x| ≤ 0.46875: erf(x) = x·P(x²)/Q(x²);
// - 0.46875 < |x| ≤ 4: erfc(x) = exp(−x²)·P(x)/Q(x);
// - |x| > 4: erfc(x) = exp(−x²)/x · (1/√π + R(1/x²)/x²).
// exp(−x²) is formed as exp(−y²)·exp(−(x−y)(x+y)) with y = x rounded to 1/16, so the rounding error
// of x² is not amplified by the exponential; this keeps erfc relatively accurate down to 1e-300.

// Cody's coefficients (CALERF), written as their shortest round-trip float64 literals.
const A = [3.1611237438705655, 113.86415415105016, 377.485237685302, 3209.3775891384694, 0.18577770618460315];
const B = [23.601290952344122, 244.02463793444417, 1282.6165260773723, 2844.236833439171];
const C = [
  0.5641884969886701, 8.883149794388377, 66.11919063714163, 298.6351381974001, 881.952221241769, 1712.0476126340707,
  2051.0783778260716, 1230.3393547979972, 2.1531153547440383e-8,
];
const D = [
  15.744926110709835, 117.6939508913125, 537.1811018620099, 1621.3895745666903, 3290.7992357334597, 4362.619090143247,
  3439.3676741437216, 1230.3393548037495,
];
const P = [
  0.30532663496123236, 0.36034489994980445, 0.12578172611122926, 0.016083785148742275, 0.0006587491615298378,
  0.016315387137302097,
];
const Q = [2.568520192289822, 1.8729528499234604, 0.5279051029514285, 0.06051834131244132, 0.0023352049762686918];

const INV_SQRT_PI = 0.5641895835477563;
const THRESH = 0.46875;

/** erf(y)/y for 0 ≤ y ≤ 0.46875 (rational in y²). */
function erfSmallOverX(y: number): number {
  const ysq = y * y;
  let num = A[4]! * ysq;
  let den = ysq;
  for (let i = 0; i < 3; i++) {
    num = (num + A[i]!) * ysq;
    den = (den + B[i]!) * ysq;
  }
  return (num + A[3]!) / (den + B[3]!);
}

/** exp(y²)·erfc(y) for y > 0.46875. */
function erfcxLarge(y: number): number {
  if (y <= 4) {
    let num = C[8]! * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + C[i]!) * y;
      den = (den + D[i]!) * y;
    }
    return (num + C[7]!) / (den + D[7]!);
  }
  if (y >= 6.71e7) return INV_SQRT_PI / y; // the correction R/y² is below 1e-16 relative
  const z = 1 / (y * y);
  let num = P[5]! * z;
  let den = z;
  for (let i = 0; i < 4; i++) {
    num = (num + P[i]!) * z;
    den = (den + Q[i]!) * z;
  }
  const r = (z * (num + P[4]!)) / (den + Q[4]!);
  return (INV_SQRT_PI - r) / y;
}

/** exp(−y²) without amplifying the rounding error of y² (y ≥ 0). */
function expMinusSquare(y: number): number {
  const hi = Math.trunc(y * 16) / 16;
  const del = (y - hi) * (y + hi);
  return Math.exp(-hi * hi) * Math.exp(-del);
}

/** exp(+y²) with the same splitting. */
function expSquare(y: number): number {
  const hi = Math.trunc(y * 16) / 16;
  const del = (y - hi) * (y + hi);
  return Math.exp(hi * hi) * Math.exp(del);
}

/** Complementary error function erfc(x) = 1 − erf(x), accurate in the right tail (underflows past x ≈ 27.2). */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const y = Math.abs(x);
  let r: number;
  if (y <= THRESH) return 1 - x * erfSmallOverX(y);
  if (y > 27.3)
    r = 0; // erfc(27.3) < 2^-1074: underflow
  else r = expMinusSquare(y) * erfcxLarge(y);
  return x < 0 ? 2 - r : r;
}

/** Error function erf(x) = 2/√π ∫₀ˣ exp(−t²) dt. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const y = Math.abs(x);
  if (y <= THRESH) return x * erfSmallOverX(y);
  // erf = 1 − erfc; erfc(0.46875) ≈ 0.5 so this subtraction loses nothing.
  const r = y >= 6 ? 0 : expMinusSquare(y) * erfcxLarge(y);
  const v = 0.5 - r + 0.5;
  return x < 0 ? -v : v;
}

/** Scaled complementary error function erfcx(x) = exp(x²)·erfc(x); ~1/(x√π) for large x, overflows for x < −26.6. */
export function erfcx(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const y = Math.abs(x);
  let r: number;
  if (y <= THRESH) r = Math.exp(y * y) * (1 - y * erfSmallOverX(y));
  else r = erfcxLarge(y);
  if (x >= 0) return r;
  if (x < -26.628) return Number.POSITIVE_INFINITY;
  const e = expSquare(y);
  return e + e - r;
}
