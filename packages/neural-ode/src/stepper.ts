// The contract between the integration driver (integrate.ts) and one-step methods (explicit RK, Rosenbrock, ESDIRK).

/** A frozen interpolant over one accepted step. */
export interface Segment {
  t0: number;
  h: number;
  /** out ← y(t0 + θh), θ ∈ [0, 1]. */
  interpolate(theta: number, out: Float64Array): void;
}

export interface Stepper {
  readonly name: string;
  /** Error estimate scales like h^q: the controller uses exponents 0.7/q and 0.4/q. */
  readonly errExponent: number;
  /** False for methods without an error estimate (fixed step only). */
  readonly adaptive: boolean;
  /** State and derivative at the end of the last attempted step. */
  readonly y1: Float64Array;
  readonly f1: Float64Array;
  /** h·ρ of the last attempt (NaN when the method has no indicator). */
  stiffness: number;
  /** Attempt a step of size h from (t, y) with f0 = f(t, y); returns the scaled error norm (0 without estimate). */
  attempt(t: number, y: Float64Array, f0: Float64Array, h: number): number;
  /** Called once the last attempt is accepted (before y is overwritten by y1). */
  accept(): void;
  /** Interpolate inside the last accepted step. */
  interpolate(theta: number, out: Float64Array): void;
  /** A copy of the last accepted step's interpolant. */
  segment(): Segment;
}
