// Public types shared by the solvers.

/**
 * Fast-path vector field. `y` is the current state (do not mutate it). Either return a new array of length n, or write
 * the derivative into `out` (length n, reused between calls) and return nothing / `out` — the second form allocates nothing.
 */
export type OdeFunction<A = unknown> = (
  t: number,
  y: Float64Array,
  args: A,
  out: Float64Array,
  // biome-ignore lint/suspicious/noConfusingVoidType: f may fill `out` and return nothing
) => ArrayLike<number> | undefined | void;

/** Dense Jacobian ∂f/∂y: nested rows, or row-major n·n array, or write into `out` (row-major) and return nothing. */
export type JacFunction<A = unknown> = (
  t: number,
  y: Float64Array,
  args: A,
  out: Float64Array,
  // biome-ignore lint/suspicious/noConfusingVoidType: jac may fill `out` and return nothing
) => ArrayLike<number> | ArrayLike<number>[] | undefined | void;

/** An event function g(t, y); a root is located where g changes sign (SciPy `solve_ivp` conventions). */
export interface OdeEvent<A = unknown> {
  (t: number, y: Float64Array, args: A): number;
  /** Stop the integration at the first root. */
  terminal?: boolean;
  /** +1: only roots where g goes from negative to positive; −1: positive to negative; 0 (default): both. */
  direction?: number;
}

export type ExplicitMethodName = "euler" | "midpoint" | "heun" | "rk4" | "bosh3" | "dopri5" | "tsit5" | "dop853";
export type StiffMethodName = "rodas4" | "trbdf2";
export type MethodName = ExplicitMethodName | StiffMethodName | "auto";

export interface SolveIvpOptions<A = unknown> {
  /** Default `"auto"`: Tsit5 while non-stiff, Rodas4 while stiff (switching on the stiffness indicator). */
  method?: MethodName;
  rtol?: number;
  atol?: number | ArrayLike<number>;
  /** Times at which to report the solution (inside the span, monotone in the direction of integration). */
  tEval?: ArrayLike<number>;
  /** Return `sol(t)`, a continuous interpolant over the whole span. */
  denseOutput?: boolean;
  events?: OdeEvent<A> | OdeEvent<A>[];
  /** Maximum number of attempted steps (default 100000). */
  maxSteps?: number;
  /** Initial step (adaptive) or the fixed step for euler/midpoint/heun/rk4 (required there unless `h` is given). */
  h0?: number;
  /** Fixed step size: turns any explicit method into a fixed-step one (no error control). */
  h?: number;
  /** Largest step allowed. */
  maxStep?: number;
  /** Extra argument passed to f, jac and events. */
  args?: A;
  /** Analytic Jacobian for the stiff methods (otherwise forward differences). */
  jac?: JacFunction<A>;
  /** Record per-step internals: step size, error estimate, stiffness indicator. */
  internals?: boolean;
}

export interface SolveStats {
  nfev: number;
  njev: number;
  nlu: number;
  accepted: number;
  rejected: number;
}

export interface StepInternals {
  /** Time at the start of each accepted step. */
  t: Float64Array;
  /** Step size of each accepted step. */
  h: Float64Array;
  /** Scaled RMS norm of the embedded local error estimate (≤ 1 when accepted by error control). */
  error: Float64Array;
  /** Stiffness indicator h·ρ, ρ ≈ ‖k_s − k_{s−1}‖/‖Y_s − Y_{s−1}‖ (Hairer–Wanner II §IV.2); NaN where not defined. */
  stiffness: Float64Array;
  /** Which method took each step (useful for `"auto"`). */
  method: string[];
}

export interface EventRecord {
  /** Index of the event function. */
  index: number;
  t: number;
  y: Float64Array;
}

export interface DenseSolution {
  (t: number): Float64Array;
  tMin: number;
  tMax: number;
}

export interface SolveIvpResult {
  /** Output times (tEval, or every accepted step). */
  t: Float64Array;
  /** Row-major [n × nt]: y[i·nt + j] is component i at t[j] (SciPy layout). */
  y: Float64Array;
  n: number;
  /** Final state. */
  yEnd: Float64Array;
  sol?: DenseSolution;
  /** 0: reached t1; 1: a terminal event; −1: failure (see message and failure). */
  status: 0 | 1 | -1;
  message: string;
  success: boolean;
  stats: SolveStats;
  /** Per-event lists of located events. */
  events?: EventRecord[][];
  internals?: StepInternals;
  /** Where the solver stopped on failure. */
  failure?: { t: number; y: Float64Array };
}
