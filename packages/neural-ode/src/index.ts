// @x/neural-ode: ODE/SDE solvers with open internals, stiff solvers and gradients for neural ODEs.
export type { ButcherTableau } from "./explicit/tableau.js";
export { adjointStats } from "./grad/adjoint.js";
export { type CoupledState, edictInverse, edictStep } from "./grad/edict.js";
export { type OdeintOptions, odeint } from "./grad/odeint.js";
export { type RegularisedSolve, type RegularisedSolveOptions, solveRegularised } from "./grad/regularisers.js";
export {
  type ReversibleHeunState,
  reversibleHeun,
  reversibleHeunInverse,
  reversibleHeunStep,
} from "./grad/reversible-heun.js";
export { rkStepTensor } from "./grad/rk-tensor.js";
export type { TensorField } from "./grad/tensor-field.js";
export { BrownianTree, type BrownianTreeOptions } from "./sde/brownian-tree.js";
export { type SdeMethod, type SolveSdeOptions, type SolveSdeResult, solveSde } from "./sde/solve-sde.js";
export { butcherTableau, solveIvp, solveIvpBatch } from "./solve-ivp.js";
export { autodiffField } from "./stiff/autodiff-jacobian.js";
export type {
  DenseSolution,
  EventRecord,
  ExplicitMethodName,
  JacFunction,
  MethodName,
  OdeEvent,
  OdeFunction,
  SolveIvpOptions,
  SolveIvpResult,
  SolveStats,
  StepInternals,
  StiffMethodName,
} from "./types.js";
