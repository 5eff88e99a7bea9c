// @x/second-order: curvature operators and diagnostics, second-order and quasi-Newton optimisers.
export { bfgsModel } from "./bfgs.js";
export {
  finiteDifferenceHessianOperator,
  fisherOperator,
  ggnOperator,
  hessianOperator,
  jacobianOperator,
} from "./curvature.js";
export {
  type DensityOptions,
  diagonalEstimate,
  gradientHessianOverlap,
  type StabilityReport,
  spectralDensity,
  stabilityReport,
  type TopEigenOptions,
  type TraceOptions,
  topEigenvalues,
  traceEstimate,
} from "./diagnostics.js";
export type { Objective } from "./internal/problem.js";
export { lbfgsModel } from "./lbfgs.js";
export { type LeastSquaresOptions, type LeastSquaresResult, leastSquares } from "./least-squares.js";
export {
  type BacktrackingOptions,
  backtracking,
  type LineSearchPoint,
  type LineSearchResult,
  type StrongWolfeOptions,
  strongWolfe,
} from "./line-search.js";
export { minimize } from "./minimize.js";
export { dampedNewton, denseHessian, shiftedNewtonStep } from "./newton.js";
export { type Hvp, truncatedCg } from "./newton-cg.js";
export { steihaugCg } from "./trust-ncg.js";
export type { IterationInfo, MinimizeMethod, MinimizeOptions, MinimizeResult } from "./types.js";
