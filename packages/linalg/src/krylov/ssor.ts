// Symmetric SOR (Sheldon 1955; Saad, "Iterative Methods for Sparse Linear Systems", 2003, §4.1 and §10.2):
// a forward SOR sweep then a backward one. For SPD A its splitting matrix
// M = (D + ωL) D⁻¹ (D + ωU) / (ω(2 − ω)) is SPD, so M⁻¹ is a valid CG preconditioner.
import { LinearOperator, ShapeError, type TensorLike, tensor } from "@x/tensor";
import { asCsr, type IterativeOptions, type IterativeResult, type OperatorLike } from "./as-operator.js";
import { checkOmega, nonzeroDiagonal, relaxSweep, stationarySolve } from "./stationary.js";

export interface SsorOptions extends IterativeOptions {
  /** Relaxation factor in (0, 2). Default 1 (symmetric Gauss–Seidel). */
  omega?: number;
}

/** Solves A x = b by SSOR sweeps; stops on ‖b − A x‖₂ ≤ max(tol·‖b‖₂, atol) or maxIter (default max(100, 10n)). */
export function ssor(A: OperatorLike, b: TensorLike, options: SsorOptions = {}): IterativeResult {
  const omega = options.omega ?? 1;
  checkOmega(omega, "ssor");
  return stationarySolve(A, b, options, "ssor", (a, diag, x, bd) => {
    relaxSweep(a, diag, x, bd, omega);
    relaxSweep(a, diag, x, bd, omega, true);
  });
}

/** The SSOR preconditioner r ↦ ω(2 − ω)(D + ωU)⁻¹ D (D + ωL)⁻¹ r, declared symmetric when A is. */
export function ssorPreconditioner(A: OperatorLike, omega = 1): LinearOperator {
  checkOmega(omega, "ssorPreconditioner");
  const a = asCsr(A, "ssorPreconditioner");
  const [m, n] = a.shape;
  if (m !== n) throw new ShapeError(`ssorPreconditioner: A must be square, got shape [${m}, ${n}]`);
  const diag = nonzeroDiagonal(a, "ssorPreconditioner");
  const { indptr, indices, values } = a;
  const scale = omega * (2 - omega);
  return new LinearOperator(
    [n, n],
    (v) => {
      const r = v.data;
      const z = new Float64Array(n);
      // Forward solve (D + ωL) y = r, then y ← D y.
      for (let i = 0; i < n; i++) {
        let s = r[i]!;
        for (let k = indptr[i]!; k < indptr[i + 1]!; k++) {
          const j = indices[k]!;
          if (j < i) s -= omega * values[k]! * z[j]!;
        }
        z[i] = s / diag[i]!;
      }
      for (let i = 0; i < n; i++) z[i]! *= diag[i]!;
      // Backward solve (D + ωU) z = y, in place.
      for (let i = n - 1; i >= 0; i--) {
        let s = z[i]!;
        for (let k = indptr[i]!; k < indptr[i + 1]!; k++) {
          const j = indices[k]!;
          if (j > i) s -= omega * values[k]! * z[j]!;
        }
        z[i] = s / diag[i]!;
      }
      for (let i = 0; i < n; i++) z[i]! *= scale;
      return tensor(z, [n]);
    },
    { symmetric: a.isSymmetric(1e-12) },
  );
}
