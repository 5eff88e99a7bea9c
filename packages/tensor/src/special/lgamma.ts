// log|Γ(x)| for all real x, in float64.
//
// Method (no Lanczos: its error is relative to Γ, which is useless near the roots of lgamma):
// - |x - 1| ≤ 1/2 and |x - 2| ≤ 1/2: the Taylor series of log Γ(1+z) (DLMF 5.7.3), rewritten as
//   log Γ(2+z) = (1-γ)z + Σ_{k≥2} (ζ(k)-1)(-z)^k/k. Subtracting the 1/n^k part of ζ(k) leaves
//   coefficients ~4^-k at |z| = 1/2, so ~28 terms reach full precision, and the series carries the
//   factor z itself, so the roots at x = 1 and x = 2 come out with full relative accuracy.
// - 2.5 ≤ x < 10: downward recurrence Γ(x) = (x-1)···(x-n) Γ(x-n) onto [1.5, 2.5).
// - x ≥ 10: Stirling's series (DLMF 5.11.1) with Bernoulli terms, 8 terms reach 1e-17 at x = 10.
// - |x| < 1/2: Γ(x) = Γ(1+x)/x; x < -1/2: reflection Γ(x)Γ(1-x) = π/sin(πx) (DLMF 5.5.3), with
//   sin(πx) evaluated after exact reduction of x so large arguments keep their accuracy.
//   Near the negative roots of lgamma the reflection leaves only absolute accuracy (~1e-16·|lgamma(1-x)|).

/** (ζ(k) − 1)/k for k = 2..30. */
const ZETA_M1_OVER_K = [
  0.3224670334241132, 0.0673523010531981, 0.020580808427784546, 0.007385551028673986, 0.0028905103307415234,
  0.001192753911703261, 0.0005096695247430425, 0.00022315475845357939, 9.945751278180853e-5, 4.492623673813314e-5,
  2.050721277567069e-5, 9.439488275268397e-6, 4.374866789907488e-6, 2.039215753801366e-6, 9.55141213040742e-7,
  4.492469198764566e-7, 2.1207184805554665e-7, 1.0043224823968099e-7, 4.7698101693639804e-8, 2.2711094608943164e-8,
  1.0838659214896955e-8, 5.183475041970047e-9, 2.4836745438024785e-9, 1.1921401405860912e-9, 5.731367241678862e-10,
  2.7595228851242334e-10, 1.330476437424449e-10, 6.4229645638381e-11, 3.1044247747322276e-11,
];

const EULER_GAMMA = 0.5772156649015329;
const HALF_LOG_2PI = 0.9189385332046728;
const LOG_PI = 1.1447298858494002;

/** Stirling coefficients B_{2k} / (2k(2k−1)), k = 1..8. */
const STIRLING = [1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188, -691 / 360360, 1 / 156, -3617 / 122400];

/** sin(πx), exact argument reduction (x − 2·round(x/2) is exact in float64). */
export function sinPi(x: number): number {
  if (!Number.isFinite(x)) return Number.NaN;
  let r = x - 2 * Math.round(x / 2); // r ∈ [−1, 1], sin(πx) = sin(πr)
  let sign = 1;
  if (r < 0) {
    r = -r;
    sign = -1;
  }
  if (r > 0.5) r = 1 - r; // sin(π(1−r)) = sin(πr); exact for r ∈ [0.5, 1]
  return sign * (r <= 0.25 ? Math.sin(Math.PI * r) : Math.cos(Math.PI * (0.5 - r)));
}

/** cos(πx), exact argument reduction. */
export function cosPi(x: number): number {
  if (!Number.isFinite(x)) return Number.NaN;
  let r = Math.abs(x - 2 * Math.round(x / 2)); // r ∈ [0, 1]
  let sign = 1;
  if (r > 0.5) {
    r = 1 - r; // cos(π(1−r)) = −cos(πr)
    sign = -1;
  }
  return sign * (r <= 0.25 ? Math.cos(Math.PI * r) : Math.sin(Math.PI * (0.5 - r)));
}

/** log Γ(2+z) for |z| ≤ 1/2; the result carries the factor z (root of lgamma at x = 2). */
function lgamma2p(z: number): number {
  // Horner on Σ_{k≥2} c_k (−z)^k, highest degree first.
  const t = -z;
  let s = 0;
  for (let k = ZETA_M1_OVER_K.length - 1; k >= 0; k--) s = s * t + ZETA_M1_OVER_K[k]!;
  return (1 - EULER_GAMMA) * z + s * t * t;
}

/** log Γ(x) for x ≥ 1/2. */
function lgammaPositive(x: number): number {
  if (x < 1.5) {
    // log Γ(1+z) = log Γ(2+z) − log(1+z); both terms vanish linearly at z = 0.
    const z = x - 1;
    return lgamma2p(z) - Math.log1p(z);
  }
  if (x < 2.5) return lgamma2p(x - 2);
  if (x < 10) {
    // Γ(x) = (x−1)(x−2)···(y) Γ(y) with y ∈ [1.5, 2.5); x − n is exact here.
    let y = x;
    let prod = 1;
    while (y >= 2.5) {
      y -= 1;
      prod *= y;
    }
    return lgamma2p(y - 2) + Math.log(prod);
  }
  // Stirling: (x − ½) log x − x + ½ log 2π + Σ B_{2k}/(2k(2k−1) x^{2k−1}).
  // Written as x(log x − 1) − ½ log x so huge x does not overflow before the result does.
  const lx = Math.log(x);
  // 1/x² underflows to 0 for huge x, leaving 1/(12x): exactly what is wanted there.
  const inv2 = 1 / (x * x);
  let series = 0;
  for (let k = STIRLING.length - 1; k >= 0; k--) series = series * inv2 + STIRLING[k]!;
  series /= x;
  return x * (lx - 1) - 0.5 * lx + HALF_LOG_2PI + series;
}

/**
 * log|Γ(x)| for real x. +Infinity at the poles (x = 0, −1, −2, …) and at ±Infinity; NaN for NaN.
 * Relative error ~1e-15; near the roots x = 1 and x = 2 the relative accuracy is kept too.
 */
export function lgamma(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (!Number.isFinite(x)) return Number.POSITIVE_INFINITY;
  if (x >= 0.5) return lgammaPositive(x);
  if (x === Math.floor(x)) return Number.POSITIVE_INFINITY; // pole (includes ±0)
  // Γ(x) = Γ(1+x)/x keeps full accuracy for tiny |x| (where sin(πx) would lose digits).
  if (x > -0.5) return lgammaPositive(1 + x) - Math.log(Math.abs(x));
  // Reflection: |Γ(x)| = π / (|sin(πx)| Γ(1−x)).
  return LOG_PI - Math.log(Math.abs(sinPi(x))) - lgammaPositive(1 - x);
}

/**
 * Sign of Γ(x): +1 or −1; NaN at the poles x = 0, −1, −2, … and for NaN/−Infinity.
 * For x < 0, Γ(x) is negative on (−1, 0), (−3, −2), … i.e. when floor(x) is odd.
 */
export function gammaSign(x: number): number {
  if (Number.isNaN(x) || x === Number.NEGATIVE_INFINITY) return Number.NaN;
  if (x > 0) return 1;
  const f = Math.floor(x);
  if (x === f) return Number.NaN;
  return f % 2 === 0 ? 1 : -1;
}
