// LSQR for least squares min ‖A x − b‖² + damp²‖x‖²: Paige & Saunders, "LSQR: an algorithm for sparse linear
// equations and sparse least squares", ACM TOMS 8(1), 1982. Golub–Kahan bidiagonalisation; the stopping rules
// (istop 0–7) and their messages follow the paper and SciPy's lsqr.
import { type Tensor, type TensorLike, tensor } from "@x/tensor";
import { type IterationInfo, nrm2, type OperatorLike, report } from "./as-operator.js";
import { bidiagonalStart, bidiagonalStep, leastSquaresProblem, MESSAGES, stopCode, symOrtho } from "./golub-kahan.js";

export interface LsqrOptions {
  /** Regularisation: minimise ‖A x − b‖² + damp²‖x‖². Default 0. */
  damp?: number;
  /** Stopping tolerances of Paige & Saunders (relative error in A and b). Default 1e-6 each, as SciPy. */
  atol?: number;
  btol?: number;
  /** Shorthand setting both atol and btol. */
  tol?: number;
  /** Stop when the condition estimate exceeds conlim (default 1e8). */
  conlim?: number;
  /** Default 2·n (SciPy's). */
  maxIter?: number;
  x0?: TensorLike;
  callback?: (info: IterationInfo) => void;
}

export interface LsqrResult {
  x: Tensor;
  converged: boolean;
  iterations: number;
  /** √(‖b − A x‖² + damp²‖x‖²) after each iteration (entry 0: initial). */
  residualNorms: number[];
  istop: number;
  message: string;
  /** ‖b − A x‖₂. */
  r1norm: number;
  /** √(‖b − A x‖² + damp²‖x‖²). */
  r2norm: number;
  anorm: number;
  acond: number;
  arnorm: number;
  xnorm: number;
}

/** Least-squares solve of a (possibly rectangular, possibly damped) system; A needs rmatvec. */
export function lsqr(A: OperatorLike, b: TensorLike, options: LsqrOptions = {}): LsqrResult {
  const p = leastSquaresProblem(A, b, options, "lsqr", (_m, n) => 2 * n);
  const { n, x, damp, maxIter: iterLim } = p;
  const eps = Number.EPSILON;
  const dampsq = damp * damp;

  const bnorm = nrm2(p.b);
  const { u, v, alpha: alfa0, beta: beta0 } = bidiagonalStart(p, options.x0 !== undefined);
  let alfa = alfa0;
  let beta = beta0;
  const w = Float64Array.from(v);

  let rhobar = alfa;
  let phibar = beta;
  let rnorm = beta;
  let r1norm = rnorm;
  let r2norm = rnorm;
  let anorm = 0;
  let acond = 0;
  let ddnorm = 0;
  let res2 = 0;
  let xnorm = 0;
  let xxnorm = 0;
  let z = 0;
  let cs2 = -1;
  let sn2 = 0;
  let arnorm = alfa * beta;
  const norms = [rnorm];
  const done = (istop: number, itn: number): LsqrResult => ({
    x: tensor(x, [n]),
    converged: istop >= 0 && istop !== 3 && istop !== 6 && istop !== 7,
    iterations: itn,
    residualNorms: norms,
    istop,
    message: MESSAGES[istop]!,
    r1norm,
    r2norm,
    anorm,
    acond,
    arnorm,
    xnorm,
  });
  if (arnorm === 0) return done(0, 0);

  for (let itn = 1; itn <= iterLim; itn++) {
    // Bidiagonalisation: β u = A v − α u, α v = Aᵀ u − β v; ‖A‖_F estimate from the previous α and the new β.
    const alfaOld = alfa;
    ({ alpha: alfa, beta } = bidiagonalStep(p, u, v, alfa));
    if (beta > 0) anorm = Math.sqrt(anorm * anorm + alfaOld * alfaOld + beta * beta + dampsq);
    // Eliminate the damping parameter with a plane rotation.
    let rhobar1 = rhobar;
    let psi = 0;
    if (damp > 0) {
      rhobar1 = Math.sqrt(rhobar * rhobar + dampsq);
      const cs1 = rhobar / rhobar1;
      const sn1 = damp / rhobar1;
      psi = sn1 * phibar;
      phibar = cs1 * phibar;
    }
    const [cs, sn, rho] = symOrtho(rhobar1, beta);
    const theta = sn * alfa;
    rhobar = -cs * alfa;
    const phi = cs * phibar;
    phibar = sn * phibar;
    const tau = sn * phi;
    const t1 = phi / rho;
    const t2 = -theta / rho;
    let dk = 0;
    for (let i = 0; i < n; i++) {
      const wi = w[i]!;
      dk += (wi / rho) ** 2;
      x[i]! += t1 * wi;
      w[i] = v[i]! + t2 * wi;
    }
    ddnorm += dk;
    // Estimate ‖x‖ by a second rotation (Paige & Saunders §5.3).
    const delta = sn2 * rho;
    const gambar = -cs2 * rho;
    const rhs = phi - delta * z;
    const zbar = rhs / gambar;
    xnorm = Math.sqrt(xxnorm + zbar * zbar);
    const gamma = Math.sqrt(gambar * gambar + theta * theta);
    cs2 = gambar / gamma;
    sn2 = theta / gamma;
    z = rhs / gamma;
    xxnorm += z * z;

    acond = anorm * Math.sqrt(ddnorm);
    const res1 = phibar * phibar;
    res2 += psi * psi;
    rnorm = Math.sqrt(res1 + res2);
    arnorm = alfa * Math.abs(tau);
    const r1sq = rnorm * rnorm - dampsq * xxnorm;
    r1norm = Math.sqrt(Math.abs(r1sq));
    if (r1sq < 0) r1norm = -r1norm;
    r2norm = rnorm;
    norms.push(rnorm);
    report(options.callback, itn, rnorm, x);

    const istop = stopCode(p, itn, {
      test1: rnorm / bnorm,
      test2: arnorm / (anorm * rnorm + eps),
      test3: 1 / (acond + eps),
      anorm,
      xnorm,
      bnorm,
    });
    if (!Number.isFinite(rnorm)) return { ...done(7, itn), converged: false, message: "lsqr: residual not finite" };
    if (istop !== 0) return done(istop, itn);
  }
  return done(7, iterLim);
}
