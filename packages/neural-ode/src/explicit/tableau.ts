// Butcher tableaus of explicit Runge–Kutta methods, in SciPy's layout: stages k_0..k_{s−1}, then k_s = f(t+h, y1)
// (free for FSAL pairs, and reused as the next step's k_0 for the others), then optional extra stages for dense output.

export interface ButcherTableau {
  name: string;
  /** Order of the propagated solution. */
  order: number;
  /** Order of the embedded solution (0: no error estimate). */
  embeddedOrder: number;
  /** Number of stages s (without the k_s = f(t+h, y1) row). */
  stages: number;
  c: readonly number[];
  /** Strictly lower-triangular rows: a[i][j], j < i (row 0 empty). */
  a: readonly (readonly number[])[];
  b: readonly number[];
  /** Error weights over rows 0..s: err = h·Σ e_i k_i (b − b̂). */
  e?: readonly number[];
  /** DOP853 only: the third-order estimate combined with e (Hairer's dop853 error norm). */
  e3?: readonly number[];
  /** Extra stages evaluated only when dense output is requested (DOP853). */
  extra?: { c: readonly number[]; a: readonly (readonly number[])[] };
  /**
   * Dense output weights: y(t + θh) = y + h·Σ w_i(θ) k_i over rows 0..s(+extra). Default: cubic Hermite through
   * (y, k_0) and (y1, k_s), which is order 3 (exact for the data; enough for methods of order ≤ 3, and rk4's
   * interpolant has local error O(h⁴)).
   */
  dense?: (theta: number, w: Float64Array) => void;
  /** Order of the dense output. */
  denseOrder: number;
}

/** Cubic Hermite weights over rows 0..s, written with the b's (y1 − y = hΣ b_i k_i). */
export function hermiteWeights(b: readonly number[], s: number, theta: number, w: Float64Array): void {
  const t2 = theta * theta;
  const t3 = t2 * theta;
  const h01 = -2 * t3 + 3 * t2;
  const h10 = t3 - 2 * t2 + theta;
  const h11 = t3 - t2;
  for (let i = 0; i < s; i++) w[i] = h01 * b[i]!;
  w[0] = w[0]! + h10;
  w[s] = h11;
}
