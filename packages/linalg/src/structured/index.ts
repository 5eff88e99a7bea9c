// Barrel of the structured group: Kronecker products and solves, low-rank updates, block-diagonal operators.
export { blockDiagOperator } from "./block-diag.js";
export { kron } from "./kron.js";
export { type KronSolveOptions, kronSolve } from "./kron-solve.js";
export { KroneckerOperator } from "./kronecker-operator.js";
export { type NearestKroneckerResult, nearestKronecker } from "./nearest-kronecker.js";
export { type InverseLike, shermanMorrison, woodburySolve } from "./woodbury.js";
