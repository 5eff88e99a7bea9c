// Logarithms of the modified Bessel functions log I_ν(x) and log K_ν(x), real ν, x ≥ 0, in float64.
// Everything is computed in log space, so nothing over- or underflows for x up to 1e300 or ν in the
// thousands (e.g. I_500(1e-10) ≈ 10^-6284, K_0(1e5) ≈ e^-100005).
//
// Method, by region (ν ≥ 0; K_{−ν} = K_ν, I_{−n} = I_n):
// - ν ≥ 25: Debye's uniform asymptotic expansions (DLMF 10.41.3–4) in η(z), p = 1/√(1+z²), z = x/ν,
//   with the polynomials U_k(p) (DLMF 10.41.10) built once from their recurrence; 16 terms leave an
//   error below max|U_16|/25^16 ≈ 1e-19 for every x.
// - ν < 25, K: Temme's series for x ≤ 2 or Steed's continued fraction CF2 for x > 2 give K_μ and
//   K_{μ+1} at |μ| ≤ ½ (Temme, J. Comput. Phys. 19 (1975) 324; Numerical Recipes §6.7 "bessik"),
//   then the forward recurrence K_{v+1} = K_{v−1} + (2v/x)K_v, which is stable for K, carried as
//   ratios so it cannot overflow. The 1/Γ(1±μ) values use the Taylor series of 1/Γ (DLMF 5.7.1).
// - ν < 25, I: the power series (DLMF 10.25.2) for x ≤ 2√(ν+1) (positive terms, no cancellation);
//   the Hankel expansion (DLMF 10.40.1) for x ≥ max(30, ν²), where its terms fall off from the first
//   one (K switches to its own Hankel expansion there too); in between, CF1 for I_{ν+1}/I_ν (modified
//   Lentz, at most ~150 steps since x < 625) and the Wronskian I_ν K_{ν+1} + I_{ν+1} K_ν = 1/x
//   (DLMF 10.28.2), which gives log I_ν = −log x − log K_ν − log(K_{ν+1}/K_ν + I_{ν+1}/I_ν) from
//   positive terms only.

import { lgamma } from "./lgamma.js";

/** Orders at or above this use the Debye expansion. */
const DEBYE_NU = 25;
const DEBYE_TERMS = 16;
const EPS = 1e-16;
const MAX_ITER = 5000; // safety net only: no loop below needs more than ~150 steps in its region
const LOG_2PI = 1.8378770664093453;
const LN2 = Math.LN2;

/** U_k(p), k = 0..DEBYE_TERMS, as coefficient arrays (lowest degree first); degree of U_k is 3k. */
const DEBYE_U = buildDebyePolynomials(DEBYE_TERMS);

function buildDebyePolynomials(kmax: number): number[][] {
  // U_{k+1}(p) = ½p²(1−p²)U_k'(p) + ⅛∫₀^p (1−5t²)U_k(t) dt  (DLMF 10.41.9)
  const polys: number[][] = [[1]];
  for (let k = 0; k < kmax; k++) {
    const prev = polys[k]!;
    const next = new Array<number>(prev.length + 3).fill(0);
    for (let j = 0; j < prev.length; j++) {
      const c = prev[j]!;
      if (j > 0) {
        const d = j * c; // U_k' has coefficient d at p^{j−1}
        next[j + 1] = next[j + 1]! + 0.5 * d;
        next[j + 3] = next[j + 3]! - 0.5 * d;
      }
      next[j + 1] = next[j + 1]! + c / (8 * (j + 1));
      next[j + 3] = next[j + 3]! - (5 * c) / (8 * (j + 3));
    }
    polys.push(next);
  }
  return polys;
}

/** Debye expansion; sign = +1 for log I_ν(x), −1 for log K_ν(x). */
function logDebye(nu: number, x: number, sign: 1 | -1): number {
  const z = x / nu;
  const w = Math.hypot(1, z); // √(1+z²) without overflow for huge z
  const p = 1 / w;
  const eta = w + Math.log(z / (1 + w));
  let sum = 1;
  let scale = 1;
  for (let k = 1; k <= DEBYE_TERMS; k++) {
    scale *= sign / nu;
    const u = DEBYE_U[k]!;
    let v = 0;
    for (let j = u.length - 1; j >= 0; j--) v = v * p + u[j]!;
    sum += v * scale;
  }
  const common = -0.5 * Math.log(w) + Math.log(sum);
  if (sign === 1) return nu * eta - 0.5 * (LOG_2PI + Math.log(nu)) + common;
  return -nu * eta + 0.5 * (Math.log(Math.PI / 2) - Math.log(nu)) + common;
}

/** log I_ν(x) from the power series Σ (x²/4)^k / (k! Γ(ν+k+1)), for moderate x. */
function logISeries(nu: number, x: number): number {
  const y = 0.25 * x * x;
  let term = 1;
  let rest = 0; // Σ_{k≥1} term_k, kept apart from the leading 1 so log1p keeps tiny x exact
  for (let k = 1; k < MAX_ITER; k++) {
    term *= y / (k * (nu + k));
    rest += term;
    if (term <= EPS * rest) break;
  }
  // log(x) − ln 2 rather than log(x/2): x/2 would lose bits (or vanish) for subnormal x.
  const lead = nu === 0 ? 0 : nu * (Math.log(x) - LN2) - lgamma(nu + 1);
  return lead + Math.log1p(rest);
}

/**
 * Hankel expansions for x ≫ ν² (DLMF 10.40.1–2): sign = +1 gives log I_ν(x) from
 * e^x/√(2πx) Σ (−1)^k a_k(ν)/x^k, sign = −1 gives log K_ν(x) from √(π/2x) e^{−x} Σ a_k(ν)/x^k.
 */
function logHankel(nu: number, x: number, sign: 1 | -1): number {
  const mu4 = 4 * nu * nu;
  let term = 1;
  let sum = 1;
  for (let k = 1; k < 200; k++) {
    const odd = 2 * k - 1;
    term *= (-sign * (mu4 - odd * odd)) / (8 * k * x);
    sum += term;
    if (Math.abs(term) <= EPS * Math.abs(sum)) break;
  }
  // For I, the exponentially small e^{−x} companion term is below 1e-26 relative for x ≥ 30.
  if (sign === 1) return x - 0.5 * (LOG_2PI + Math.log(x)) + Math.log(sum);
  return 0.5 * (Math.log(Math.PI / 2) - Math.log(x)) - x + Math.log(sum);
}

/** Hankel expansions take over once x ≥ max(30, ν²): the first term is then ≤ ½ and they fall off at once. */
function hankelFrom(nu: number): number {
  return Math.max(30, nu * nu);
}

/** Even and odd parts of 1/Γ(1±μ): Taylor coefficients c_k of 1/Γ(z) = Σ c_k z^k, k = 1..26 (DLMF 5.7.1). */
const RGAMMA_TAYLOR = [
  1.0, 0.5772156649015329, -0.6558780715202539, -0.04200263503409524, 0.16653861138229148, -0.04219773455554433,
  -0.009621971527876973, 0.0072189432466631, -0.0011651675918590652, -0.00021524167411495098, 0.0001280502823881162,
  -2.013485478078824e-5, -1.2504934821426706e-6, 1.133027231981696e-6, -2.056338416977607e-7, 6.116095104481416e-9,
  5.002007644469223e-9, -1.18127457048702e-9, 1.0434267116911005e-10, 7.782263439905071e-12, -3.696805618642206e-12,
  5.100370287454476e-13, -2.0583260535665066e-14, -5.348122539423018e-15, 1.2267786282382608e-15,
  -1.1812593016974588e-16,
];

/**
 * Temme's series for K_μ(x), K_{μ+1}(x), |μ| ≤ ½, 0 < x ≤ 2. Returns [log K_μ, K_{μ+1}/K_μ].
 * Γ1 = (1/Γ(1−μ) − 1/Γ(1+μ))/(2μ) and Γ2 = (1/Γ(1−μ) + 1/Γ(1+μ))/2 are the odd/even parts of 1/Γ(1+μ).
 */
function temme(mu: number, x: number): [number, number] {
  const mu2 = mu * mu;
  // 1/Γ(1+μ) = Σ_k c_{k+1} μ^k: Γ2 collects even k, −Γ1 the odd k (divided by μ).
  let gam1 = 0;
  let gam2 = 0;
  for (let k = RGAMMA_TAYLOR.length - 1; k >= 0; k--) {
    if (k % 2 === 0) gam2 = gam2 * mu2 + RGAMMA_TAYLOR[k]!;
    else gam1 = gam1 * mu2 - RGAMMA_TAYLOR[k]!;
  }
  const gampl = gam2 - mu * gam1; // 1/Γ(1+μ)
  const gammi = gam2 + mu * gam1; // 1/Γ(1−μ)
  const x2 = 0.5 * x;
  const pimu = Math.PI * mu;
  const fact = Math.abs(pimu) < 1e-5 ? 1 + (pimu * pimu) / 6 : pimu / Math.sin(pimu);
  const d = LN2 - Math.log(x); // −log(x/2), safe for subnormal x
  const e = mu * d;
  const fact2 = Math.abs(e) < 1e-5 ? 1 + (e * e) / 6 : Math.sinh(e) / e;
  let ff = fact * (gam1 * Math.cosh(e) + gam2 * fact2 * d);
  let sum = ff;
  const ee = Math.exp(e);
  let p = (0.5 * ee) / gampl; // ½ (x/2)^{−μ} Γ(1+μ)
  let q = 0.5 / (ee * gammi); // ½ (x/2)^{μ} Γ(1−μ)
  let c = 1;
  const dd = x2 * x2;
  let sum1 = p;
  for (let i = 1; i < MAX_ITER; i++) {
    ff = (i * ff + p + q) / (i * i - mu2);
    c *= dd / i;
    p /= i - mu;
    q /= i + mu;
    const del = c * ff;
    sum += del;
    const del1 = c * (p - i * ff);
    sum1 += del1;
    if (Math.abs(del) < Math.abs(sum) * EPS && Math.abs(del1) < Math.abs(sum1) * EPS) break;
  }
  return [Math.log(sum), (sum1 / sum) * (2 / x)];
}

/**
 * Steed's CF2 (Thompson–Barnett form, Numerical Recipes §6.7) for K_μ(x), K_{μ+1}(x), |μ| ≤ ½, x > 2.
 * Returns [log K_μ, K_{μ+1}/K_μ]; K_μ = √(π/2x) e^{−x} / s is taken in log space.
 */
function steedCF2(mu: number, x: number): [number, number] {
  let b = 2 * (1 + x);
  let d = 1 / b;
  let h = d;
  let delh = d;
  let q1 = 0;
  let q2 = 1;
  const a1 = 0.25 - mu * mu;
  let q = a1;
  let c = a1;
  let a = -a1;
  let s = 1 + q * delh;
  for (let i = 2; i < MAX_ITER; i++) {
    a -= 2 * (i - 1);
    c = (-a * c) / i;
    const qnew = (q1 - b * q2) / a;
    q1 = q2;
    q2 = qnew;
    q += c * qnew;
    b += 2;
    d = 1 / (b + a * d);
    delh = (b * d - 1) * delh;
    h += delh;
    const dels = q * delh;
    s += dels;
    if (Math.abs(dels) < Math.abs(s) * EPS) break;
  }
  const logK = 0.5 * Math.log(Math.PI / (2 * x)) - x - Math.log(s);
  return [logK, (mu + x + 0.5 - a1 * h) / x];
}

/** log K_ν(x) and K_{ν+1}(x)/K_ν(x) for 0 ≤ ν < DEBYE_NU + 1, via μ = ν − round(ν) and forward recurrence. */
function logKRecurrence(nu: number, x: number): [number, number] {
  const nl = Math.round(nu);
  const mu = nu - nl; // exact; |μ| ≤ ½
  if (nl > 0 && x < 1e-300) {
    // The ratios below would overflow (2/x > 1e300). Here K_ν(x) = ½Γ(ν)(x/2)^{−ν} to within a relative
    // (x/2)^{min(2, 2ν)} < 1e-300 for ν ≥ ½.
    return [lgamma(nu) - LN2 + nu * (LN2 - Math.log(x)), Number.POSITIVE_INFINITY];
  }
  let [logK, r] = x <= 2 ? temme(mu, x) : steedCF2(mu, x);
  for (let i = 1; i <= nl; i++) {
    logK += Math.log(r);
    r = (2 * (mu + i)) / x + 1 / r; // K_{v+1}/K_v = 2v/x + K_{v−1}/K_v: positive terms, stable
  }
  return [logK, r];
}

/** I_{ν+1}(x)/I_ν(x) from CF1 = 1/(b₁ + 1/(b₂ + …)), b_k = 2(ν+k)/x, by the modified Lentz method. */
function besselIRatio(nu: number, x: number): number {
  let f = (2 * (nu + 1)) / x;
  let c = f;
  let d = 0;
  for (let k = 2; k < MAX_ITER; k++) {
    const b = (2 * (nu + k)) / x;
    d = 1 / (b + d);
    c = b + 1 / c;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return 1 / f;
}

function checkX(fn: string, x: number): void {
  if (x < 0) throw new RangeError(`${fn}: x must be >= 0, got x = ${x}`);
}

/**
 * log I_ν(x), the modified Bessel function of the first kind, for x ≥ 0 and ν ≥ 0 (or integer ν < 0,
 * using I_{−n} = I_n). log I_ν(0) is 0 for ν = 0 and −Infinity for ν > 0. NaN in, NaN out.
 * @throws RangeError for x < 0 and for negative non-integer ν (where I_ν can be negative).
 */
export function logBesselI(nu: number, x: number): number {
  if (Number.isNaN(nu) || Number.isNaN(x)) return Number.NaN;
  checkX("logBesselI", x);
  if (nu < 0) {
    if (!Number.isInteger(nu)) {
      throw new RangeError(`logBesselI: order nu must be >= 0 or an integer, got nu = ${nu}`);
    }
    nu = -nu;
  }
  if (x === 0) return nu === 0 ? 0 : Number.NEGATIVE_INFINITY;
  if (x === Number.POSITIVE_INFINITY) return nu === Number.POSITIVE_INFINITY ? Number.NaN : x;
  if (nu === Number.POSITIVE_INFINITY) return Number.NEGATIVE_INFINITY;
  if (nu >= DEBYE_NU) return logDebye(nu, x, 1);
  if (x <= 2 * Math.sqrt(nu + 1)) return logISeries(nu, x);
  if (x >= hankelFrom(nu)) return logHankel(nu, x, 1);
  const [logK, kRatio] = logKRecurrence(nu, x);
  // Wronskian: I_ν (K_{ν+1} + (I_{ν+1}/I_ν) K_ν) = 1/x.
  return -Math.log(x) - logK - Math.log(kRatio + besselIRatio(nu, x));
}

/**
 * log K_ν(x), the modified Bessel function of the second kind, for x ≥ 0 and any real ν (K_{−ν} = K_ν).
 * log K_ν(0) = +Infinity. NaN in, NaN out.
 * @throws RangeError for x < 0.
 */
export function logBesselK(nu: number, x: number): number {
  if (Number.isNaN(nu) || Number.isNaN(x)) return Number.NaN;
  checkX("logBesselK", x);
  nu = Math.abs(nu);
  if (x === 0) return Number.POSITIVE_INFINITY;
  if (x === Number.POSITIVE_INFINITY) return nu === Number.POSITIVE_INFINITY ? Number.NaN : Number.NEGATIVE_INFINITY;
  if (nu === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
  if (nu >= DEBYE_NU) return logDebye(nu, x, -1);
  if (x >= hankelFrom(nu)) return logHankel(nu, x, -1);
  return logKRecurrence(nu, x)[0];
}
