// Gauss–Seidel iteration (Saad, "Iterative Methods for Sparse Linear Systems", 2003, §4.1): forward sweeps,
// each unknown updated with the newest values of the others. Converges for SPD or strictly diagonally dominant A.
import type { TensorLike } from "@x/tensor";
import type { IterativeOptions, IterativeResult, OperatorLike } from "./as-operator.js";
import { relaxSweep, stationarySolve } from "./stationary.js";

/** Solves A x = b by forward Gauss–Seidel sweeps; stops on ‖b − A x‖₂ ≤ max(tol·‖b‖₂, atol). */
export function gaussSeidel(A: OperatorLike, b: TensorLike, options: IterativeOptions = {}): IterativeResult {
  return stationarySolve(A, b, options, "gaussSeidel", (a, diag, x, bd) => relaxSweep(a, diag, x, bd));
}
