// LSMR for least squares min ‖A x − b‖² + damp²‖x‖²: Fong & Saunders, "LSMR: an iterative algorithm for sparse
// least-squares problems", SIAM J. Sci. Comput. 33(5), 2011. MINRES applied to the normal equations through
// Golub–Kahan bidiagonalisation, so ‖Aᵀr_k‖ decreases monotonically (LSQR only guarantees it for ‖r_k‖). Stopping
// rules (istop 0–7) follow the paper and SciPy's lsmr.
import { type Tensor, type TensorLike, tensor } from "@x/tensor";
import { nrm2, type OperatorLike, report } from "./as-operator.js";
import { bidiagonalStart, bidiagonalStep, leastSquaresProblem, MESSAGES, stopCode, symOrtho } from "./golub-kahan.js";
import type { LsqrOptions } from "./lsqr.js";

export type LsmrOptions = LsqrOptions;

export interface LsmrResult {
  x: Tensor;
  converged: boolean;
  iterations: number;
  /** Estimates of √(‖b − A x‖² + damp²‖x‖²): entry 0 initial, entry k after iteration k. */
  residualNorms: number[];
  /** Estimates of ‖Aᵀ(b − A x) − damp² x‖ per iteration (non-increasing). */
  normalResidualNorms: number[];
  istop: number;
  message: string;
  normA: number;
  condA: number;
  normx: number;
}

/** Least-squares solve of a (possibly rectangular, possibly damped) system; A needs rmatvec. maxIter default min(m, n). */
export function lsmr(A: OperatorLike, b: TensorLike, options: LsmrOptions = {}): LsmrResult {
  const p = leastSquaresProblem(A, b, options, "lsmr", (m, n) => Math.min(m, n));
  const { n, x, damp, maxIter } = p;
  const { u, v, alpha: alpha0, beta: beta0 } = bidiagonalStart(p, options.x0 !== undefined);
  let alpha = alpha0;
  let beta = beta0;

  let zetabar = alpha * beta;
  let alphabar = alpha;
  let rho = 1;
  let rhobar = 1;
  let cbar = 1;
  let sbar = 0;
  const h = Float64Array.from(v);
  const hbar = new Float64Array(n);
  // ‖r‖ estimation state.
  let betadd = beta;
  let betad = 0;
  let rhodold = 1;
  let tautildeold = 0;
  let thetatilde = 0;
  let zeta = 0;
  let d = 0;
  // ‖A‖ and cond(A) estimation.
  let normA2 = alpha * alpha;
  let maxrbar = 0;
  let minrbar = 1e100;
  let normA = Math.sqrt(normA2);
  let condA = 1;
  let normx = 0;
  let normr = beta;
  let normar = alpha * beta;
  const norms = [normr];
  const arNorms = [normar];
  const normb = nrm2(p.b);
  const done = (istop: number, itn: number, message = MESSAGES[istop]!): LsmrResult => ({
    x: tensor(x, [n]),
    converged: istop !== 3 && istop !== 6 && istop !== 7 && Number.isFinite(normr),
    iterations: itn,
    residualNorms: norms,
    normalResidualNorms: arNorms,
    istop,
    message,
    normA,
    condA,
    normx,
  });
  if (normar === 0 || normb === 0) return done(0, 0);

  for (let itn = 1; itn <= maxIter; itn++) {
    // Bidiagonalisation: β u = A v − α u, α v = Aᵀ u − β v.
    ({ alpha, beta } = bidiagonalStep(p, u, v, alpha));
    // Rotation Q̂ eliminating damp, then Q turning B into R, then Q̄ turning Rᵀ into R̄.
    const [chat, shat, alphahat] = symOrtho(alphabar, damp);
    const rhoold = rho;
    let c: number;
    let sn: number;
    [c, sn, rho] = symOrtho(alphahat, beta);
    const thetanew = sn * alpha;
    alphabar = c * alpha;
    const rhobarold = rhobar;
    const zetaold = zeta;
    const thetabar = sbar * rho;
    const rhotemp = cbar * rho;
    [cbar, sbar, rhobar] = symOrtho(cbar * rho, thetanew);
    zeta = cbar * zetabar;
    zetabar = -sbar * zetabar;
    // Update h̄, x, h.
    const f1 = -((thetabar * rho) / (rhoold * rhobarold));
    const f2 = zeta / (rho * rhobar);
    const f3 = -(thetanew / rho);
    for (let i = 0; i < n; i++) {
      const hb = f1 * hbar[i]! + h[i]!;
      hbar[i] = hb;
      x[i]! += f2 * hb;
      h[i] = f3 * h[i]! + v[i]!;
    }
    // Estimate ‖r‖ (Fong & Saunders §3.3).
    const betaacute = chat * betadd;
    const betacheck = -shat * betadd;
    const betahat = c * betaacute;
    betadd = -sn * betaacute;
    const thetatildeold = thetatilde;
    const [ctildeold, stildeold, rhotildeold] = symOrtho(rhodold, thetabar);
    thetatilde = stildeold * rhobar;
    rhodold = ctildeold * rhobar;
    betad = -stildeold * betad + ctildeold * betahat;
    tautildeold = (zetaold - thetatildeold * tautildeold) / rhotildeold;
    const taud = (zeta - thetatilde * tautildeold) / rhodold;
    d += betacheck * betacheck;
    normr = Math.sqrt(d + (betad - taud) ** 2 + betadd * betadd);
    // Estimate ‖A‖ and cond(A).
    normA2 += beta * beta;
    normA = Math.sqrt(normA2);
    normA2 += alpha * alpha;
    maxrbar = Math.max(maxrbar, rhobarold);
    if (itn > 1) minrbar = Math.min(minrbar, rhobarold);
    condA = Math.max(maxrbar, rhotemp) / Math.min(minrbar, rhotemp);
    normar = Math.abs(zetabar);
    normx = nrm2(x);
    norms.push(normr);
    arNorms.push(normar);
    report(options.callback, itn, normr, x);

    const istop = stopCode(p, itn, {
      test1: normr / normb,
      test2: normA * normr !== 0 ? normar / (normA * normr) : Number.POSITIVE_INFINITY,
      test3: 1 / condA,
      anorm: normA,
      xnorm: normx,
      bnorm: normb,
    });
    if (!Number.isFinite(normr) || !Number.isFinite(normx)) return done(7, itn, "lsmr: non-finite values (check A)");
    if (istop !== 0) return done(istop, itn);
  }
  return done(7, maxIter);
}
