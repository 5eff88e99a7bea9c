// Outward rounding for float64 bound arithmetic.
// A computed dot product s = fl(Σ aᵢbᵢ + c) of n terms satisfies |s − exact| ≤ γₙ₊₁ (Σ|aᵢbᵢ| + |c|) with
// γₙ = n·u/(1 − n·u), u = 2⁻⁵³ (Higham, "Accuracy and Stability of Numerical Algorithms", 2nd ed., §3.1, Lemma 3.4).
// Bound code accumulates such a worst-case error term next to every bound and subtracts/adds it at the end, doubling
// γ so the (tiny) rounding of the error term itself is covered; the result is finally moved one ulp outward.
const U = 2 ** -53;

/** 2·γ_n: the doubled Higham constant used as the relative error margin of an n-term sum. */
export function gamma(n: number): number {
  const nu = (n + 1) * U;
  return (2 * nu) / (1 - nu);
}

export const UNIT_ROUNDOFF = U;

/**
 * A float64 at or above the next float towards +∞: adding |x|·2⁻⁵² (≥ one ulp of x) plus the smallest subnormal
 * moves a round-to-nearest result at least one float up. Cheaper than bit manipulation, and still outward.
 */
export function nextUp(x: number): number {
  return x + (Math.abs(x) * 2.220446049250313e-16 + 5e-324);
}

/** A float64 at or below the next float towards −∞. */
export function nextDown(x: number): number {
  return x - (Math.abs(x) * 2.220446049250313e-16 + 5e-324);
}

/** Relative + absolute widening for results of library functions (exp, tanh) that are not correctly rounded. */
export function libDown(x: number): number {
  return nextDown(x - 8 * U * Math.abs(x) - 1e-300);
}
export function libUp(x: number): number {
  return nextUp(x + 8 * U * Math.abs(x) + 1e-300);
}
