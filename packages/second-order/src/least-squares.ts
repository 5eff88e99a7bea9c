// Nonlinear least squares min ½‖r(x)‖²: Levenberg–Marquardt with Nielsen's damping update
// (Nielsen, IMM-REP-1999-05; Madsen, Nielsen & Tingleff, "Methods for Non-Linear Least Squares
// Problems", 2004, Alg. 3.16) and Gauss–Newton with Armijo backtracking (Nocedal & Wright §10.3).
// The Jacobian comes from @x/tensor's jacobian (forward or reverse, whichever is cheaper).
import { fromData, jacobian, type PyTree, type Tensor, type TensorLike, ValueError } from "@x/tensor";
import { choleskySolve } from "./internal/cholesky.js";
import { flatView } from "./internal/problem.js";
import { dot, normInf } from "./internal/vec.js";

export interface LeastSquaresIteration<T> {
  iteration: number;
  /** The accepted iterate, in the structure of x0. */
  x: T;
  cost: number;
  /** ‖Jᵀr‖∞. */
  gradNorm: number;
}

export interface LeastSquaresOptions<T = Tensor> {
  /** 'lm' (default) or 'gn'. */
  method?: "lm" | "gn";
  /** Stop when ‖Jᵀr‖∞ ≤ gtol (default 1e-8). */
  gtol?: number;
  /** Stop when ‖δ‖ ≤ xtol(‖x‖ + xtol) (default 1e-8). */
  xtol?: number;
  /** Stop when the relative cost decrease of an accepted step ≤ ftol (default 1e-8). */
  ftol?: number;
  maxIter?: number;
  /** LM: initial damping μ₀ = tau·max diag(JᵀJ) (default 1e-3). */
  tau?: number;
  /** Called after every accepted step; returning true stops the run (converged: false). */
  callback?: (info: LeastSquaresIteration<T>) => unknown;
}

export interface LeastSquaresResult<T = Tensor> {
  /** The solution in the structure of x0 (a Tensor for a Tensor or numeric-array x0, else the same pytree). */
  x: T;
  /** ½‖r(x)‖². */
  cost: number;
  /** r(x). */
  fun: Tensor;
  /** J [m, n] over the flattened x (leaves of a pytree x0 concatenated in treeFlatten order). */
  jac: Tensor;
  /** Jᵀr over the flattened x. */
  grad: Tensor;
  iterations: number;
  nfev: number;
  njev: number;
  converged: boolean;
  message: string;
  /** Cost after each iteration (index 0 = cost at x0). */
  history: number[];
}

/**
 * Minimises ½‖residuals(x)‖²; residuals returns a vector tensor. x0 is a Tensor, a (nested) numeric array or
 * a pytree of tensors (e.g. { a, b }); residuals receives x in that structure.
 */
export function leastSquares(
  residuals: (x: Tensor) => Tensor,
  x0: TensorLike,
  opts?: LeastSquaresOptions<Tensor>,
): LeastSquaresResult<Tensor>;
export function leastSquares<T extends PyTree>(
  residuals: (x: T) => Tensor,
  x0: T,
  opts?: LeastSquaresOptions<T>,
): LeastSquaresResult<T>;
export function leastSquares<T>(
  residuals: (x: T) => Tensor,
  x0In: unknown,
  opts: LeastSquaresOptions<T> = {},
): LeastSquaresResult<T> {
  const method = opts.method ?? "lm";
  const fn = `leastSquares(${method})`;
  if (method !== "lm" && method !== "gn")
    throw new ValueError(`leastSquares: method must be 'lm' or 'gn', got '${method}'`);
  if (typeof residuals !== "function") throw new ValueError(`${fn}: residuals must be a function`);
  const view = flatView(x0In, fn);
  const n = view.n;
  const gtol = opts.gtol ?? 1e-8;
  const xtol = opts.xtol ?? 1e-8;
  const ftol = opts.ftol ?? 1e-8;
  const maxIter = opts.maxIter ?? 100 * n;
  const callback = opts.callback;
  if (callback !== undefined && typeof callback !== "function") {
    throw new ValueError(`${fn}: callback must be a function`);
  }
  let nfev = 0;
  let njev = 0;
  const r = (x: Float64Array): Float64Array => {
    nfev++;
    const out = residuals(view.unflatten(x) as T);
    if (out.rank !== 1) throw new ValueError(`${fn}: residuals must return a vector, got rank ${out.rank}`);
    return Float64Array.from(out.data);
  };
  const jacFn = jacobian((t: Tensor) => residuals(view.splitT(t) as T));
  const J = (x: Float64Array): Float64Array => {
    njev++;
    return Float64Array.from(jacFn(fromData(Float64Array.from(x), [n])).data);
  };
  let x = Float64Array.from(view.x0);
  let rx = r(x);
  const m = rx.length;
  const cost = (v: Float64Array) => 0.5 * dot(v, v);
  let c = cost(rx);
  const history = [c];
  const done = (message: string, Jx: Float64Array, g: Float64Array, iterations: number): LeastSquaresResult<T> => ({
    x: view.unflatten(x) as T,
    cost: c,
    fun: fromData(rx, [m]),
    jac: fromData(Jx, [m, n]),
    grad: fromData(g, [n]),
    iterations,
    nfev,
    njev,
    converged: message.startsWith("converged"),
    message,
    history,
  });
  // JᵀJ and Jᵀr for the normal equations (fine for the small n these methods are used on).
  const normal = (Jx: Float64Array, v: Float64Array) => {
    const A = new Float64Array(n * n);
    const g = new Float64Array(n);
    for (let k = 0; k < m; k++) {
      const row = k * n;
      for (let i = 0; i < n; i++) {
        const ji = Jx[row + i]!;
        g[i]! += ji * v[k]!;
        for (let j = 0; j <= i; j++) A[i * n + j]! += ji * Jx[row + j]!;
      }
    }
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) A[j * n + i] = A[i * n + j]!;
    return { A, g };
  };
  if (!Number.isFinite(c))
    return done("residuals are not finite at x0", new Float64Array(m * n), new Float64Array(n), 0);
  let Jx = J(x);
  let { A, g } = normal(Jx, rx);
  let mu = (opts.tau ?? 1e-3) * Math.max(...Array.from({ length: n }, (_, i) => A[i * n + i]!), 1e-300);
  let nu = 2;
  for (let it = 0; it < maxIter; it++) {
    if (normInf(g) <= gtol) return done("converged: ‖Jᵀr‖∞ ≤ gtol", Jx, g, it);
    const rhs = g.map((v) => -v);
    let step: Float64Array | null = null;
    let accepted = false;
    let newR = rx;
    let newC = c;
    if (method === "lm") {
      for (let tries = 0; tries < 60 && !accepted; tries++) {
        const Am = Float64Array.from(A);
        for (let i = 0; i < n; i++) Am[i * n + i]! += mu;
        step = choleskySolve(Am, n, rhs);
        if (step === null) {
          mu *= nu;
          nu *= 2;
          continue;
        }
        const xn = x.map((v, i) => v + step![i]!);
        newR = r(xn);
        newC = cost(newR);
        // Gain ratio: actual over predicted decrease, L(0) − L(δ) = ½δᵀ(μδ − g).
        let pred = 0;
        for (let i = 0; i < n; i++) pred += 0.5 * step[i]! * (mu * step[i]! - g[i]!);
        // When both the predicted and the actual decrease are below the cost's rounding (a nonzero residual
        // hides an O(ε·cost) improvement), the ratio is noise: trust the model, as the step is then the
        // near-exact Gauss–Newton step, instead of growing μ until no step moves x.
        const noise = 8 * Number.EPSILON * c;
        const rho = !Number.isFinite(newC) ? -1 : pred <= noise && c - newC >= -noise ? 1 : (c - newC) / pred;
        if (rho > 0) {
          mu *= Math.max(1 / 3, 1 - (2 * rho - 1) ** 3);
          nu = 2;
          accepted = true;
        } else {
          mu *= nu;
          nu *= 2;
        }
        if (!accepted && Math.sqrt(dot(step, step)) <= xtol * (Math.sqrt(dot(x, x)) + xtol)) {
          return done("converged: step ≤ xtol (damping grew until no step changes x)", Jx, g, it);
        }
      }
    } else {
      // Gauss–Newton step from JᵀJ δ = −Jᵀr (tiny shift only if JᵀJ is singular), then backtracking.
      step = choleskySolve(A, n, rhs);
      for (let k = 0; step === null && k < 30; k++) {
        const Am = Float64Array.from(A);
        const shift = 1e-12 * 10 ** k * Math.max(1, ...Array.from({ length: n }, (_, i) => A[i * n + i]!));
        for (let i = 0; i < n; i++) Am[i * n + i]! += shift;
        step = choleskySolve(Am, n, rhs);
      }
      if (step === null) return done("Gauss–Newton system could not be solved", Jx, g, it);
      if (Math.sqrt(dot(step, step)) <= xtol * (Math.sqrt(dot(x, x)) + xtol)) {
        return done("converged: Gauss–Newton step ≤ xtol", Jx, g, it);
      }
      const d0 = dot(g, step);
      for (let alpha = 1; alpha > 1e-10; alpha *= 0.5) {
        const xn = x.map((v, i) => v + alpha * step![i]!);
        newR = r(xn);
        newC = cost(newR);
        if (Number.isFinite(newC) && newC <= c + 1e-4 * alpha * d0) {
          step = step.map((v) => alpha * v);
          accepted = true;
          break;
        }
      }
    }
    if (!accepted || step === null) {
      return done("no step decreases the cost (converged to rounding, or residuals not finite nearby)", Jx, g, it);
    }
    const xNew = x.map((v, i) => v + step![i]!);
    const small = Math.sqrt(dot(step, step)) <= xtol * (Math.sqrt(dot(x, x)) + xtol);
    const flat = c - newC <= ftol * c;
    x = xNew;
    rx = newR;
    c = newC;
    history.push(c);
    Jx = J(x);
    ({ A, g } = normal(Jx, rx));
    if (
      callback &&
      callback({ iteration: it + 1, x: view.unflatten(x) as T, cost: c, gradNorm: normInf(g) }) === true
    ) {
      return done("stopped by callback", Jx, g, it + 1);
    }
    if (small) return done("converged: step ≤ xtol", Jx, g, it + 1);
    if (flat) return done("converged: relative cost reduction ≤ ftol", Jx, g, it + 1);
  }
  return done("maximum number of iterations reached", Jx, g, maxIter);
}
