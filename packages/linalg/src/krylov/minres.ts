// MINRES for symmetric (possibly indefinite) A: Paige & Saunders, "Solution of sparse indefinite systems of
// linear equations", SIAM J. Numer. Anal. 12(4), 1975. Follows the structure of SciPy's minres (Lanczos +
// Givens QR of the tridiagonal), so ‖r_k‖ is available for free and is non-increasing.
import { type TensorLike, ValueError } from "@x/tensor";
import {
  dot,
  type IterativeOptions,
  type IterativeResult,
  nrm2,
  type OperatorLike,
  type Preconditioner,
  report,
  residual,
  result,
} from "./as-operator.js";
import { krylovProblem } from "./common.js";

export interface MinresOptions extends IterativeOptions {
  /** SPD preconditioner approximating A⁻¹ (MINRES needs M symmetric positive definite). */
  M?: Preconditioner;
}

/**
 * Solves A x = b for symmetric A (definite or indefinite). residualNorms holds MINRES's recurrence for
 * ‖b − A x_k‖₂ (‖·‖ in the M-norm, √(rᵀMr), when preconditioned); it stops when that falls to
 * max(tol·‖b‖, atol) (‖b‖ measured the same way), at maxIter (default 5·n), or when A looks singular
 * (then x is a least-squares solution and `message` says so).
 */
export function minres(A: OperatorLike, b: TensorLike, options: MinresOptions = {}): IterativeResult {
  const s = krylovProblem(A, b, options, "minres", { symmetric: true, maxIterPerN: 5, M: options.M });
  const { n, tol, atol, maxIter, apply, prec, x } = s;
  const eps = Number.EPSILON;
  const bM = Math.sqrt(Math.max(0, dot(s.b, prec(s.b))));
  if (nrm2(s.b) === 0 && options.x0 === undefined) return result(x, true, 0, [0]);
  const target = Math.max(tol * bM, atol);

  let r1 = residual(apply, x, s.b);
  let y = prec(r1);
  let beta1 = dot(r1, y);
  if (beta1 < 0) throw new ValueError(`minres: rᵀMr = ${beta1} < 0, the preconditioner M is not positive definite`);
  beta1 = Math.sqrt(beta1);
  const norms = [beta1];
  if (beta1 <= target) return result(x, true, 0, norms);

  let oldb = 0;
  let beta = beta1;
  let dbar = 0;
  let epsln = 0;
  let phibar = beta1;
  let tnorm2 = 0;
  let gmax = 0;
  let gmin = Number.MAX_VALUE;
  let cs = -1;
  let sn = 0;
  let w = new Float64Array(n);
  let w2 = new Float64Array(n);
  let r2 = r1;
  const v = new Float64Array(n);
  for (let itn = 1; itn <= maxIter; itn++) {
    // Lanczos step: v = y/β, then the three-term recurrence.
    const sc = 1 / beta;
    for (let i = 0; i < n; i++) v[i] = sc * y[i]!;
    const av = apply(v);
    const yn = Float64Array.from(av);
    if (itn >= 2) {
      const f = beta / oldb;
      for (let i = 0; i < n; i++) yn[i]! -= f * r1[i]!;
    }
    const alfa = dot(v, yn);
    const f2 = alfa / beta;
    for (let i = 0; i < n; i++) yn[i]! -= f2 * r2[i]!;
    r1 = r2;
    r2 = yn;
    y = prec(r2);
    oldb = beta;
    const bb = dot(r2, y);
    if (bb < 0 || !Number.isFinite(bb)) {
      return result(x, false, itn - 1, norms, `minres: βₖ² = ${bb} (A not symmetric or M not SPD)`);
    }
    beta = Math.sqrt(bb);
    tnorm2 += alfa * alfa + oldb * oldb + beta * beta;

    // Apply the previous rotation, then a new one that annihilates β.
    const oldeps = epsln;
    const delta = cs * dbar + sn * alfa;
    const gbar = sn * dbar - cs * alfa;
    epsln = sn * beta;
    dbar = -cs * beta;
    const gamma = Math.max(Math.hypot(gbar, beta), eps);
    cs = gbar / gamma;
    sn = beta / gamma;
    const phi = cs * phibar;
    phibar = sn * phibar;

    // x += φ w with w = (v − ε w₁ − δ w₂)/γ.
    const w1 = w2;
    w2 = w;
    w = w1; // reuse w1's buffer for the new direction
    const dg = 1 / gamma;
    for (let i = 0; i < n; i++) {
      const wi = (v[i]! - oldeps * w1[i]! - delta * w2[i]!) * dg;
      w[i] = wi;
      x[i]! += phi * wi;
    }
    gmax = Math.max(gmax, gamma);
    gmin = Math.min(gmin, gamma);
    const rn = Math.abs(phibar);
    norms.push(rn);
    report(options.callback, itn, rn, x);
    if (rn <= target) return result(x, true, itn, norms);
    // Lanczos found an invariant subspace: x is the exact (least-squares) solution in it.
    if (beta === 0) {
      return result(x, false, itn, norms, "minres: Krylov space exhausted; A is singular and b not in its range");
    }
    const anorm = Math.sqrt(tnorm2);
    if (gmax / gmin >= 0.1 / eps) {
      return result(x, false, itn, norms, "minres: A appears singular (condition estimate ≥ 0.1/eps)");
    }
    // ‖A r‖/(‖A‖‖r‖) tiny: x is a least-squares solution of a singular system.
    const root = Math.hypot(gbar, dbar);
    if (root / anorm <= Math.max(tol, eps)) {
      return result(x, false, itn, norms, "minres: least-squares solution reached (A singular, b not in its range)");
    }
  }
  return result(x, false, maxIter, norms);
}
