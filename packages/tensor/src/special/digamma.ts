// Digamma ψ(x) = Γ'(x)/Γ(x) and polygamma ψ^(n)(x), in float64.
//
// Method:
// - digamma, x > 0: recurrence ψ(x) = ψ(x+m) − Σ 1/(x+k) up to x+m ≥ 10, then the asymptotic series
//   ψ(y) ~ log y − 1/(2y) − Σ B_{2k}/(2k y^{2k}) (DLMF 5.11.2), 9 terms reach 1e-18 at y = 10.
//   Near the positive root x₀ = 1.4616… a Taylor series about x₀ (coefficients ψ^(k)(x₀)/k! from
//   mpmath) keeps full relative accuracy where the recurrence would cancel.
// - digamma, x < 0: reflection ψ(x) = ψ(1−x) − π cot(πx) (DLMF 5.5.4). Near the negative roots only
//   absolute accuracy (~1e-16·|ψ(1−x)|) survives the subtraction.
// - polygamma, n ≥ 1, x > 0: ψ^(n)(x) = (−1)^{n+1} n! ζ(n+1, x) (DLMF 25.11.12); the Hurwitz zeta is
//   summed directly up to a ≥ 2n + 10 and finished with its Euler–Maclaurin tail (DLMF 25.11.5 form),
//   whose Bernoulli terms shrink by a factor < 0.06 per step there.
// - polygamma, x < 0: differentiating the reflection n times gives
//   ψ^(n)(x) = (−1)^n ψ^(n)(1−x) − π^{n+1} P_n(cot πx), with P_0(t) = t, P_{k+1}(t) = −(1+t²) P_k'(t).

import { cosPi, lgamma, sinPi } from "./lgamma.js";

/** Bernoulli numbers B_2, B_4, …, B_40. */
const BERNOULLI_2K = [
  0.16666666666666666, -0.03333333333333333, 0.023809523809523808, -0.03333333333333333, 0.07575757575757576,
  -0.2531135531135531, 1.1666666666666667, -7.092156862745098, 54.971177944862156, -529.1242424242424,
  6192.123188405797, -86580.25311355312, 1425517.1666666667, -27298231.067816094, 601580873.9006424,
  -15116315767.092157, 429614643061.1667, -13711655205088.332, 488332318973593.2, -1.9296579341940068e16,
];

/** Positive root of ψ as an unevaluated sum ROOT_HI + ROOT_LO (~32 digits). */
const ROOT_HI = 1.4616321449683622;
const ROOT_LO = 9.549995429965697e-17;
/** ψ^(k)(x₀)/k!, k = 1..26: Taylor coefficients of ψ about its positive root. */
const ROOT_TAYLOR = [
  0.9676722454476212, -0.4427631689835921, 0.258499760955651, -0.16394270544240652, 0.10782405069126237,
  -0.07219956125645471, 0.04880428816414311, -0.03316112647484736, 0.022597648232218104, -0.01542476590494896,
  0.010538791616612175, -0.007204534386356869, 0.004926781395729853, -0.003369801655439328, 0.002305126326734928,
  -0.0015769367714301972, 0.0010788252019162967, -0.0007380709389960052, 0.000504953265834602, -0.0003454680251063077,
  0.00023635601564027053, -0.00016170622091974803, 0.0001106337276874741, -7.569179582195066e-5, 5.178575795222081e-5,
  -3.5430070947659604e-5,
];

/** ψ(y) for y ≥ 10 from the asymptotic series. */
function digammaAsymptotic(y: number): number {
  const inv2 = 1 / (y * y);
  let s = 0;
  for (let k = 9; k >= 1; k--) s = s * inv2 + BERNOULLI_2K[k - 1]! / (2 * k);
  return Math.log(y) - 0.5 / y - s * inv2;
}

/**
 * Digamma ψ(x). NaN at the poles x = 0, −1, −2, … and at −Infinity; +Infinity at +Infinity.
 * Relative error ~1e-15 for x > 0 (including the root at 1.4616…).
 */
export function digamma(x: number): number {
  if (Number.isNaN(x) || x === Number.NEGATIVE_INFINITY) return Number.NaN;
  if (x === Number.POSITIVE_INFINITY) return x;
  if (x <= 0) {
    if (x === Math.floor(x)) return Number.NaN;
    return digamma(1 - x) - (Math.PI * cosPi(x)) / sinPi(x);
  }
  const h = x - ROOT_HI - ROOT_LO; // x − ROOT_HI is exact near the root
  if (Math.abs(h) < 0.25) {
    let s = 0;
    for (let k = ROOT_TAYLOR.length - 1; k >= 0; k--) s = s * h + ROOT_TAYLOR[k]!;
    return s * h;
  }
  if (x >= 10) return digammaAsymptotic(x);
  const m = Math.ceil(10 - x);
  let acc = 0;
  for (let k = m - 1; k >= 0; k--) acc += 1 / (x + k); // smallest terms first
  return digammaAsymptotic(x + m) - acc;
}

/** n! as a float64 (Infinity for n > 170). */
function factorial(n: number): number {
  let f = 1;
  for (let k = 2; k <= n; k++) f *= k;
  return f;
}

/** ψ^(n)(x) for integer n ≥ 1 and finite x > 0. */
function polygammaPositive(n: number, x: number): number {
  const s = n + 1;
  const a0 = 2 * n + 10; // Euler–Maclaurin tail converges fast once a ≥ 2n + 10
  const m = x < a0 ? Math.ceil(a0 - x) : 0;
  const a = x + m;
  // Tail factor E(a) = a^s ζ(s, a) = a/(s−1) + 1/2 + Σ_j B_{2j}/(2j)! (s)_{2j−1} a^{1−2j}.
  let e = a / (s - 1) + 0.5;
  let fac = s / (2 * a); // (s)_{2j−1} / ((2j)! a^{2j−1}) for j = 1
  for (let j = 1; j <= BERNOULLI_2K.length; j++) {
    const term = BERNOULLI_2K[j - 1]! * fac;
    e += term;
    if (Math.abs(term) < 1e-17 * Math.abs(e)) break;
    fac *= ((s + 2 * j - 1) * (s + 2 * j)) / ((2 * j + 1) * (2 * j + 2) * a * a);
  }
  const sign = n % 2 === 1 ? 1 : -1;
  const fact = factorial(n); // Infinity for n > 170
  if (Math.abs(s * Math.log(x)) < 650 && fact < Number.POSITIVE_INFINITY) {
    // Plain float64 path: n! and every term are representable.
    let sum = 0;
    for (let k = m - 1; k >= 0; k--) sum += (x + k) ** -s;
    return sign * fact * (sum + a ** -s * e);
  }
  // Extreme n or x: factor out n!·x^{−s}; the k = 0 term becomes exactly 1.
  let sum = 0;
  for (let k = m - 1; k >= 1; k--) sum += (x / (x + k)) ** s;
  sum += m > 0 ? 1 + (x / a) ** s * e : e;
  const half = x ** (-s / 2);
  if (fact < Number.POSITIVE_INFINITY && half > 1e-300 && half < 1e300) {
    // n!·x^{−s} = (n!·x^{−s/2})·x^{−s/2}: each product stays in range unless the result itself does not.
    return sign * fact * half * half * sum;
  }
  return sign * sum * Math.exp(lgamma(n + 1) - s * Math.log(x));
}

/**
 * Polygamma ψ^(n)(x), the n-th derivative of digamma; n = 0 gives digamma.
 * n must be a non-negative integer (RangeError otherwise). Poles at x = 0, −1, −2, …: +Infinity for
 * odd n (the function is even around the pole), NaN for even n ≥ 2 (the sign flips across it).
 * Relative error ~1e-14 for x > 0; negative x uses the reflection formula.
 */
export function polygamma(n: number, x: number): number {
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`polygamma: n must be a non-negative integer, got n = ${n}`);
  }
  if (n === 0) return digamma(x);
  if (Number.isNaN(x) || x === Number.NEGATIVE_INFINITY) return Number.NaN;
  if (x === Number.POSITIVE_INFINITY) return 0;
  if (x > 0) return polygammaPositive(n, x);
  if (x === Math.floor(x)) return n % 2 === 1 ? Number.POSITIVE_INFINITY : Number.NaN;
  // P_n(t) = d^n/du^n cot(u) as a polynomial in t = cot(u); coefficients low degree first.
  let poly = [0, 1];
  for (let k = 0; k < n; k++) {
    const next = new Array<number>(poly.length + 1).fill(0);
    for (let j = 1; j < poly.length; j++) {
      const d = j * poly[j]!; // derivative coefficient of t^{j−1}
      next[j - 1] = next[j - 1]! - d;
      next[j + 1] = next[j + 1]! - d;
    }
    poly = next;
  }
  const t = cosPi(x) / sinPi(x);
  let p = 0;
  for (let j = poly.length - 1; j >= 0; j--) p = p * t + poly[j]!;
  const reflected = polygammaPositive(n, 1 - x);
  return (n % 2 === 0 ? reflected : -reflected) - Math.PI ** (n + 1) * p;
}
