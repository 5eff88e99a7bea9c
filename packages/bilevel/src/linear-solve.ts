// The linear solves of implicit differentiation (Blondel et al., "Efficient and Modular Implicit
// Differentiation", NeurIPS 2022, §2.2): CG for symmetric positive definite Jacobians (argmin
// problems, A = ∇²g), GMRES for general ones, CG on the normal equations, or a truncated Neumann
// series (Richardson iteration y ← y + η (b − A y), Lorraine et al. 2020). A is given by products only.
import { cg, gmres } from "@x/linalg";
import { fromData, LinearOperator, ValueError } from "@x/tensor";
import { vnorm } from "./internal/vec.js";

export type SolveMethod = "cg" | "gmres" | "normal-cg" | "neumann";

export interface LinearSolveOptions {
  /** Method (default "cg"; use "gmres" or "normal-cg" when ∂F/∂x is not symmetric positive definite). */
  solve?: SolveMethod;
  /** Relative residual tolerance ‖b − A y‖ ≤ tol·‖b‖ (default 1e-10). */
  tol?: number;
  /** Iteration cap (default 10·n for Krylov methods, 1000 for Neumann). */
  maxIter?: number;
  /** Adds damping·I to A (Tikhonov): the remedy for a singular inner Hessian. Default 0. */
  damping?: number;
  /** Neumann step η (default 1/λmax(A) estimated by 20 power iterations; needs η < 2/λmax for convergence). */
  neumannStep?: number;
}

/** What a linear solve reports: iteration counts and convergence are never hidden. */
export interface LinearSolveInfo {
  method: SolveMethod;
  converged: boolean;
  iterations: number;
  /** Final relative residual ‖b − A y‖ / ‖b‖ (0 when b = 0). */
  residual: number;
  /** Residual norms, entry 0 the initial one. */
  residualNorms: number[];
  /** Set when the solve failed, with a suggestion (e.g. damping for a singular Hessian). */
  message?: string;
}

type Apply = (v: Float64Array) => Float64Array;

const METHODS: readonly SolveMethod[] = ["cg", "gmres", "normal-cg", "neumann"];

/** Checks the options once, with messages naming the bad field. */
export function checkSolveOptions(o: LinearSolveOptions, fn: string): void {
  if (o.solve !== undefined && !METHODS.includes(o.solve)) {
    throw new ValueError(`${fn}: options.solve must be one of ${METHODS.join(", ")}, got ${String(o.solve)}`);
  }
  if (o.tol !== undefined && !(o.tol > 0)) throw new ValueError(`${fn}: options.tol must be > 0, got ${o.tol}`);
  if (o.maxIter !== undefined && !(Number.isInteger(o.maxIter) && o.maxIter > 0)) {
    throw new ValueError(`${fn}: options.maxIter must be a positive integer, got ${o.maxIter}`);
  }
  if (o.damping !== undefined && !(o.damping >= 0)) {
    throw new ValueError(`${fn}: options.damping must be ≥ 0, got ${o.damping}`);
  }
  if (o.neumannStep !== undefined && !(Number.isFinite(o.neumannStep) && o.neumannStep !== 0)) {
    throw new ValueError(`${fn}: options.neumannStep must be a finite nonzero number, got ${o.neumannStep}`);
  }
}

/** λmax estimate by power iteration (for the default Neumann step). */
function powerEstimate(apply: Apply, n: number): number {
  let v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = 1 + ((i * 7919) % 13) / 13; // deterministic, not orthogonal to much
  let lam = 0;
  for (let k = 0; k < 20; k++) {
    const nv = vnorm(v);
    if (nv === 0) return 1;
    for (let i = 0; i < n; i++) v[i]! /= nv;
    const w = apply(v);
    lam = vnorm(w);
    v = Float64Array.from(w);
  }
  return lam > 0 ? lam : 1;
}

/**
 * Solves A y = b given A's products (apply) and, for normal-cg, Aᵀ's (applyT).
 * Returns y and a report; a failed solve is reported (converged false, message), not thrown.
 */
export function solveLinear(
  apply: Apply,
  applyT: Apply | undefined,
  b: Float64Array,
  options: LinearSolveOptions = {},
): { y: Float64Array; info: LinearSolveInfo } {
  const method = options.solve ?? "cg";
  const tol = options.tol ?? 1e-10;
  const n = b.length;
  const damping = options.damping ?? 0;
  const A: Apply =
    damping > 0
      ? (v) => {
          const w = Float64Array.from(apply(v));
          for (let i = 0; i < n; i++) w[i]! += damping * v[i]!;
          return w;
        }
      : apply;
  const AT: Apply | undefined =
    applyT && damping > 0
      ? (v) => {
          const w = Float64Array.from(applyT(v));
          for (let i = 0; i < n; i++) w[i]! += damping * v[i]!;
          return w;
        }
      : applyT;
  const bnorm = vnorm(b);
  const rel = (r: number) => (bnorm === 0 ? 0 : r / bnorm);
  const op = (f: Apply, symmetric: boolean) =>
    LinearOperator.fromFunction([n, n], (v) => fromData(Float64Array.from(f(v.data)), [n]), { symmetric });
  const suggest = " (the inner Jacobian/Hessian may be singular or indefinite: try options.damping > 0)";

  if (method === "neumann") {
    const maxIter = options.maxIter ?? 1000;
    const eta = options.neumannStep ?? 1 / powerEstimate(A, n);
    const y = new Float64Array(n);
    const r = Float64Array.from(b);
    const norms = [bnorm];
    let it = 0;
    let ok = bnorm === 0;
    while (!ok && it < maxIter) {
      for (let i = 0; i < n; i++) y[i]! += eta * r[i]!;
      const Ay = A(y);
      for (let i = 0; i < n; i++) r[i] = b[i]! - Ay[i]!;
      it++;
      const rn = vnorm(r);
      norms.push(rn);
      if (!Number.isFinite(rn)) break;
      ok = rn <= tol * bnorm;
    }
    const res = rel(norms.at(-1)!);
    const info: LinearSolveInfo = { method, converged: ok, iterations: it, residual: res, residualNorms: norms };
    if (!ok) {
      info.message = `neumann: residual ${res.toExponential(2)} after ${it} terms${Number.isFinite(res) ? "" : " (diverged: the step η is too large)"}${suggest}`;
    }
    return { y, info };
  }

  let r: {
    x: { data: Float64Array };
    converged: boolean;
    iterations: number;
    residualNorms: number[];
    message?: string;
  };
  if (method === "cg") {
    r = cg(op(A, true), fromData(Float64Array.from(b), [n]), { tol, maxIter: options.maxIter ?? 10 * n });
  } else if (method === "gmres") {
    r = gmres(op(A, false), fromData(Float64Array.from(b), [n]), { tol, maxIter: options.maxIter ?? 10 * n });
  } else {
    if (!AT) throw new ValueError("normal-cg: needs products with Aᵀ");
    // AᵀA y = Aᵀ b: SPD whenever A is nonsingular, at the price of squaring the condition number.
    const AtA: Apply = (v) => AT(A(v));
    const rhs = AT(b);
    r = cg(op(AtA, true), fromData(Float64Array.from(rhs), [n]), {
      tol: tol * 1e-2,
      maxIter: options.maxIter ?? 10 * n,
    });
  }
  const y = Float64Array.from(r.x.data);
  const Ay = A(y);
  let rr = 0;
  for (let i = 0; i < n; i++) rr += (b[i]! - Ay[i]!) ** 2;
  const res = rel(Math.sqrt(rr));
  const converged = r.converged && Number.isFinite(res);
  const info: LinearSolveInfo = {
    method,
    converged,
    iterations: r.iterations,
    residual: res,
    residualNorms: r.residualNorms,
  };
  if (!converged)
    info.message = `${method}: ${r.message ?? `not converged after ${r.iterations} iterations`}${suggest}`;
  return { y, info };
}
