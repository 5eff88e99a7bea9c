// Driver shared by the stationary (splitting) iterations x ← x + N⁻¹(b − A x): Jacobi, Gauss–Seidel, SOR,
// SSOR (Saad, "Iterative Methods for Sparse Linear Systems", 2003, ch. 4). Each method supplies one sweep
// that updates x in place; the driver owns argument checks, residual history and stopping.
import { assertFinite, asTensor, ShapeError, type TensorLike, ValueError } from "@x/tensor";
import {
  asCsr,
  type IterativeOptions,
  type IterativeResult,
  initialGuess,
  nrm2,
  type OperatorLike,
  report,
  result,
  tolerances,
} from "./as-operator.js";
import type { CsrMatrix } from "./csr.js";

/** @internal The diagonal of a square CSR matrix, rejecting zeros (the sweeps divide by it). */
export function nonzeroDiagonal(a: CsrMatrix, fn: string): Float64Array {
  const d = a.diagonalData();
  for (let i = 0; i < d.length; i++) {
    if (d[i] === 0) throw new ValueError(`${fn}: A has a zero diagonal entry at row ${i}`);
  }
  return d;
}

/**
 * @internal One relaxation sweep in place, rows in increasing order (or decreasing with `backward`), each with the
 * newest x: x_i ← s_i / a_ii for Gauss–Seidel (omega undefined), x_i ← (1 − ω) x_i + ω s_i / a_ii for SOR, where
 * s_i = b_i − Σ_{j≠i} a_ij x_j.
 */
export function relaxSweep(
  a: CsrMatrix,
  diag: Float64Array,
  x: Float64Array,
  bd: Float64Array,
  omega?: number,
  backward = false,
): void {
  const { indptr, indices, values } = a;
  const n = x.length;
  for (let t = 0; t < n; t++) {
    const i = backward ? n - 1 - t : t;
    let s = bd[i]!;
    for (let k = indptr[i]!; k < indptr[i + 1]!; k++) {
      const j = indices[k]!;
      if (j !== i) s -= values[k]! * x[j]!;
    }
    x[i] = omega === undefined ? s / diag[i]! : (1 - omega) * x[i]! + (omega * s) / diag[i]!;
  }
}

/** @internal Checks omega ∈ (0, 2), the range where SOR/SSOR can converge (Kahan 1958). */
export function checkOmega(omega: number, fn: string): void {
  if (!(omega > 0 && omega < 2)) throw new ValueError(`${fn}: omega must lie in (0, 2), got ${omega}`);
}

/** @internal Runs sweeps until ‖b − A x‖₂ ≤ max(tol·‖b‖₂, atol) or maxIter (default max(100, 10·n)). */
export function stationarySolve(
  A: OperatorLike,
  b: TensorLike,
  options: IterativeOptions,
  fn: string,
  sweep: (a: CsrMatrix, diag: Float64Array, x: Float64Array, b: Float64Array) => void,
): IterativeResult {
  const a = asCsr(A, fn);
  const [m, n] = a.shape;
  if (m !== n) throw new ShapeError(`${fn}: A must be square, got shape [${m}, ${n}]`);
  const bt = asTensor(b, "b");
  if (bt.rank !== 1 || bt.size !== n) {
    throw new ShapeError(
      `${fn}: b must be a vector of length ${n} to match A [${n}, ${n}], got [${bt.shape.join(", ")}]`,
    );
  }
  const bd = bt.data;
  assertFinite(bd, `${fn}: b`);
  const { tol, atol, maxIter } = tolerances(options, Math.max(100, 10 * n), fn);
  const diag = nonzeroDiagonal(a, fn);
  const x = initialGuess(options.x0, n, fn);
  const target = Math.max(tol * nrm2(bd), atol);
  const r = new Float64Array(n);
  const resNorm = (): number => {
    a.matvecInto(x, r);
    for (let i = 0; i < n; i++) r[i] = bd[i]! - r[i]!;
    return nrm2(r);
  };
  const norms = [resNorm()];
  if (norms[0]! <= target) return result(x, true, 0, norms);
  for (let k = 1; k <= maxIter; k++) {
    sweep(a, diag, x, bd);
    const rn = resNorm();
    norms.push(rn);
    report(options.callback, k, rn, x);
    if (rn <= target) return result(x, true, k, norms);
    if (!Number.isFinite(rn)) return result(x, false, k, norms, `${fn}: the iteration diverged (residual ${rn})`);
  }
  return result(x, false, maxIter, norms);
}
