// Chebyshev iteration and the Chebyshev polynomial preconditioner for SPD A with spectrum in [lmin, lmax]:
// Golub & Varga, "Chebyshev semi-iterative methods...", Numer. Math. 3 (1961); recurrence of Saad, "Iterative
// Methods for Sparse Linear Systems" (2003), Algorithm 12.1. No inner products, so it needs eigenvalue bounds.
import { assertFinite, asTensor, LinearOperator, ShapeError, type TensorLike, tensor, ValueError } from "@x/tensor";
import {
  applyOf,
  asOperator,
  type IterativeOptions,
  type IterativeResult,
  initialGuess,
  nrm2,
  type OperatorLike,
  report,
  residual,
  result,
  tolerances,
} from "./as-operator.js";

export interface ChebyshevBounds {
  /** Lower bound of A's spectrum (> 0). */
  lmin: number;
  /** Upper bound of A's spectrum (> lmin). */
  lmax: number;
}

function checkBounds(lmin: number, lmax: number, fn: string): void {
  if (!(lmin > 0 && lmax > lmin && Number.isFinite(lmax))) {
    throw new ValueError(`${fn}: need 0 < lmin < lmax < ∞ (bounds of an SPD spectrum), got lmin=${lmin}, lmax=${lmax}`);
  }
}

// `steps` Chebyshev updates from x (in place) on r = b − A x (consumed); returns the residual norm after each.
function chebSteps(
  apply: (v: Float64Array) => Float64Array,
  lmin: number,
  lmax: number,
  x: Float64Array,
  r: Float64Array,
  steps: number,
  onStep?: (k: number, r: Float64Array) => boolean,
): void {
  const theta = (lmax + lmin) / 2;
  const delta = (lmax - lmin) / 2;
  const sigma = theta / delta;
  let rho = 1 / sigma;
  const n = x.length;
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = r[i]! / theta;
  for (let k = 1; k <= steps; k++) {
    for (let i = 0; i < n; i++) x[i]! += d[i]!;
    if (k === steps && !onStep) break;
    const ad = apply(d);
    for (let i = 0; i < n; i++) r[i]! -= ad[i]!;
    if (onStep?.(k, r)) break;
    const rhoNew = 1 / (2 * sigma - rho);
    const c1 = rhoNew * rho;
    const c2 = (2 * rhoNew) / delta;
    for (let i = 0; i < n; i++) d[i] = c1 * d[i]! + c2 * r[i]!;
    rho = rhoNew;
  }
}

/**
 * p(A) ≈ A⁻¹: `degree` steps of Chebyshev iteration on A z = r from z = 0 (degree − 1 matvecs per application).
 * Fixed and linear, so usable in pcg; symmetric when A is.
 */
export function chebyshevPreconditioner(
  A: OperatorLike,
  { lmin, lmax, degree = 5 }: ChebyshevBounds & { degree?: number },
): LinearOperator {
  checkBounds(lmin, lmax, "chebyshevPreconditioner");
  if (!Number.isInteger(degree) || degree < 1) {
    throw new ValueError(`chebyshevPreconditioner: degree must be a positive integer, got ${degree}`);
  }
  const op = asOperator(A, "chebyshevPreconditioner: A");
  const [m, n] = op.shape;
  if (m !== n) throw new ShapeError(`chebyshevPreconditioner: A must be square, got shape [${m}, ${n}]`);
  const apply = applyOf(op);
  return new LinearOperator(
    [n, n],
    (v) => {
      const z = new Float64Array(n);
      chebSteps(apply, lmin, lmax, z, Float64Array.from(v.data), degree);
      return tensor(z, [n]);
    },
    { symmetric: op.symmetric },
  );
}

/** Chebyshev iteration for SPD A with spectrum in [lmin, lmax]; stops on ‖b − A x‖₂ ≤ max(tol·‖b‖₂, atol). */
export function chebyshev(
  A: OperatorLike,
  b: TensorLike,
  options: IterativeOptions & ChebyshevBounds,
): IterativeResult {
  checkBounds(options.lmin, options.lmax, "chebyshev");
  const op = asOperator(A, "chebyshev: A");
  const [m, n] = op.shape;
  if (m !== n) throw new ShapeError(`chebyshev: A must be square, got shape [${m}, ${n}]`);
  const bt = asTensor(b, "b");
  if (bt.rank !== 1 || bt.size !== n) {
    throw new ShapeError(`chebyshev: b must be a vector of length ${n}, got [${bt.shape.join(", ")}]`);
  }
  assertFinite(bt.data, "chebyshev: b");
  const { tol, atol, maxIter } = tolerances(options, 10 * n, "chebyshev");
  const apply = applyOf(op);
  const x = initialGuess(options.x0, n, "chebyshev");
  const target = Math.max(tol * nrm2(bt.data), atol);
  const r = residual(apply, x, bt.data);
  const norms = [nrm2(r)];
  if (norms[0]! <= target) return result(x, true, 0, norms);
  let converged = false;
  let iterations = 0;
  chebSteps(apply, options.lmin, options.lmax, x, r, maxIter, (k, rr) => {
    const rn = nrm2(rr);
    norms.push(rn);
    iterations = k;
    report(options.callback, k, rn, x);
    converged = rn <= target;
    return converged || !Number.isFinite(rn);
  });
  return result(x, converged, iterations, norms);
}
