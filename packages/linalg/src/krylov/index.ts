// Barrel of the krylov group: sparse CSR storage, Krylov solvers on LinearOperator, stationary methods and
// preconditioners.
export {
  asOperator,
  type IterationInfo,
  type IterativeOptions,
  type IterativeResult,
  type OperatorLike,
  type Preconditioner,
} from "./as-operator.js";
export { cg } from "./cg.js";
export { type ChebyshevBounds, chebyshev, chebyshevPreconditioner } from "./chebyshev.js";
export { CsrMatrix } from "./csr.js";
export { type FpcgOptions, fpcg } from "./fpcg.js";
export { gaussSeidel } from "./gauss-seidel.js";
export { type GmresOptions, gmres } from "./gmres.js";
export { ic0, ic0Factor } from "./ic0.js";
export { ilu0 } from "./ilu0.js";
export { jacobi } from "./jacobi.js";
export { type LsmrOptions, type LsmrResult, lsmr } from "./lsmr.js";
export { type LsqrOptions, type LsqrResult, lsqr } from "./lsqr.js";
export { type MinresOptions, minres } from "./minres.js";
export { type PcgOptions, pcg } from "./pcg.js";
export { poisson2d } from "./poisson.js";
export { type SorOptions, sor } from "./sor.js";
export { type SsorOptions, ssor, ssorPreconditioner } from "./ssor.js";
