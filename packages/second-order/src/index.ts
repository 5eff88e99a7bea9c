// @x/second-order: curvature operators and diagnostics, second-order and quasi-Newton optimisers.
export { type CubicStep, cubicSubproblemEig, cubicSubproblemLanczos } from "./arc.js";
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
export {
  type AdahessianExtra,
  type AdahessianOptions,
  type AdahessianState,
  adahessian,
  adahessianStep,
} from "./optim/adahessian.js";
export { type AdamOptions, type AdamState, adam } from "./optim/adam.js";
export {
  type DenseLayer,
  type KfacExtra,
  type KfacLayerState,
  type KfacLayerStats,
  type KfacOptions,
  type KfacState,
  kfac,
  kfacPrecondition,
} from "./optim/kfac.js";
export { type MfacOptions, MfacPreconditioner, type MfacState, mfac } from "./optim/mfac.js";
export { type MlpKfacStats, type MlpOptions, mlpForward, mlpKfacStats } from "./optim/mlp-kfac-stats.js";
export { type SamGradient, samGradient } from "./optim/sam.js";
export { type SgdOptions, type SgdState, sgd } from "./optim/sgd.js";
export { type ShampooOptions, type ShampooState, shampoo } from "./optim/shampoo.js";
export { applyUpdates } from "./optim/tree.js";
export type { GradientTransformation, UpdateResult } from "./optim/types.js";
export { steihaugCg } from "./trust-ncg.js";
export type { IterationInfo, MinimizeMethod, MinimizeOptions, MinimizeResult } from "./types.js";
