// @x/bilevel: implicit differentiation, hypergradients, bilevel solvers, differentiable layers, minimax.
export { customFixedPoint } from "./custom-fixed-point.js";
export {
  type CustomRootOptions,
  customRoot,
  type InnerResult,
  type InnerSolver,
  type InnerStatus,
  type RootFunction,
} from "./custom-root.js";
export {
  type HypergradientMethod,
  type HypergradientOptions,
  type HypergradientResult,
  hypergradient,
} from "./hypergradient.js";
export { type ArgminOptions, innerArgmin, innerLipschitz } from "./inner-solve.js";
export { type AndersonOptions, type AndersonResult, anderson } from "./layers/anderson.js";
export { contractivity, type DeqLayer, type DeqOptions, deqLayer } from "./layers/deq.js";
export { projectBox, projectL2Ball, projectSimplex, softThreshold } from "./layers/prox.js";
export { type QpLayer, type QpOptions, type QpParams, qpLayer, solveQp } from "./layers/qp-layer.js";
export { type SinkhornLayerOptions, type SinkhornLayerResult, sinkhornLayer } from "./layers/sinkhorn-layer.js";
export { type LinearSolveInfo, type LinearSolveOptions, type SolveMethod, solveLinear } from "./linear-solve.js";
export type { MinimaxOptions, MinimaxResult, Saddle } from "./minimax/common.js";
export { extragradient } from "./minimax/extragradient.js";
export { gda } from "./minimax/gda.js";
export { halpern } from "./minimax/halpern.js";
export { optimisticGd } from "./minimax/optimistic.js";
export { type PenaltyOptions, type PenaltyResult, penaltyHypergradient } from "./penalty.js";
export {
  type HyperCleaningOptions,
  type HyperCleaningProblem,
  hyperCleaningProblem,
} from "./problems/hyper-cleaning.js";
export { logisticProblem, logLoss } from "./problems/logistic.js";
export {
  type QuadraticBilevelOptions,
  type QuadraticBilevelProblem,
  quadraticBilevel,
} from "./problems/quadratic.js";
export { type RidgeProblem, ridgeProblem } from "./problems/ridge.js";
export type { BilevelProblem, FiniteSum } from "./problems/types.js";
export { type AidOptions, type AidResult, aid } from "./solvers/aid.js";
export { type BoRepOptions, boRep } from "./solvers/bo-rep.js";
export { type F2saOptions, f2sa } from "./solvers/f2sa.js";
export { type LvHbaOptions, type LvHbaResult, lvHba } from "./solvers/lv-hba.js";
export { soba } from "./solvers/soba.js";
export { type StocBioOptions, stocBio } from "./solvers/stocbio.js";
export type { BilevelSolverOptions, BilevelSolverResult, BilevelSpec, MinibatchOptions } from "./solvers/types.js";
export { type UnrolledOptions, type UnrolledResult, unrolledHypergradient } from "./unrolled.js";
