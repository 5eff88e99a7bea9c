// Successive over-relaxation (Young 1950, "Iterative methods for solving partial difference equations of
// elliptic type", Harvard thesis; Saad 2003, §4.1): Gauss–Seidel with the update scaled by ω ∈ (0, 2).
import type { TensorLike } from "@x/tensor";
import type { IterativeOptions, IterativeResult, OperatorLike } from "./as-operator.js";
import { checkOmega, relaxSweep, stationarySolve } from "./stationary.js";

export interface SorOptions extends IterativeOptions {
  /** Relaxation factor in (0, 2); 1 is Gauss–Seidel. Default 1. */
  omega?: number;
}

/** Solves A x = b by SOR sweeps; stops on ‖b − A x‖₂ ≤ max(tol·‖b‖₂, atol) or maxIter (default max(100, 10n)). */
export function sor(A: OperatorLike, b: TensorLike, options: SorOptions = {}): IterativeResult {
  const omega = options.omega ?? 1;
  checkOmega(omega, "sor");
  return stationarySolve(A, b, options, "sor", (a, diag, x, bd) => relaxSweep(a, diag, x, bd, omega));
}
