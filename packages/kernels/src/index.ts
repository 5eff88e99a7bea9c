// @x/kernels: kernel methods on @x/tensor.
export { ProductKernel, productKernel, ScaleKernel, SumKernel, scaleKernel, sumKernel } from "./combinators.js";
export { empiricalNtk, type Mlp, type MlpOptions, mlp } from "./empirical-ntk.js";
export {
  type FitGpOptions,
  type FitGpResult,
  fitGp,
  type GpOptions,
  type GpParams,
  GpPosterior,
  type GpPrediction,
  gpPosterior,
  logMarginalLikelihood,
  logMarginalLikelihoodAndGrad,
  type SampleOptions,
  samplePrior,
} from "./gp-regression.js";
export { hsic } from "./hsic.js";
export {
  InverseMultiquadricKernel,
  type InverseMultiquadricOptions,
  inverseMultiquadric,
} from "./inverse-multiquadric.js";
export { CholeskyJitterError, choleskyJitter, type JitterOptions } from "./jitter.js";
export { type Bandwidth, type KdeResult, kde } from "./kde.js";
export { asInputs, Kernel, kernelPairs, type Params } from "./kernel.js";
export { type KernelHerdingResult, kernelHerding } from "./kernel-herding.js";
export { type KernelPcaResult, kernelPca } from "./kernel-pca.js";
export { type KernelRidgeResult, kernelRidge } from "./kernel-ridge.js";
export { type KernelThinningOptions, type KernelThinningResult, kernelThinning } from "./kernel-thinning.js";
export { LaplaceKernel, type LaplaceOptions, laplace } from "./laplace.js";
export { LinearKernel, type LinearOptions, linear } from "./linear.js";
export { MaternKernel, type MaternOptions, matern } from "./matern.js";
export { type MeanShiftOptions, type MeanShiftResult, meanShift } from "./mean-shift.js";
export { type MmdEstimator, mmd2 } from "./mmd.js";
export { type Activation, type InfiniteWidthKernels, type InfiniteWidthOptions, infiniteWidthKernels } from "./ntk.js";
export { type NtkPredictor, ntkPredictor } from "./ntk-dynamics.js";
export { type NystromOptions, type NystromResult, nystrom } from "./nystrom.js";
export { PeriodicKernel, type PeriodicOptions, periodic } from "./periodic.js";
export { PolynomialKernel, type PolynomialOptions, polynomial } from "./polynomial.js";
export { type RandomFeatures, type RandomFeaturesOptions, randomFourierFeatures } from "./random-features.js";
export { RationalQuadraticKernel, type RationalQuadraticOptions, rationalQuadratic } from "./rational-quadratic.js";
export { RbfKernel, rbf } from "./rbf.js";
export { filterFunction, type SpectralFilterSpec, SpectralFilters, spectralFilters } from "./spectral-filters.js";
export { SpectralMixtureKernel, type SpectralMixtureOptions, spectralMixture } from "./spectral-mixture.js";
export { StationaryKernel, type StationaryOptions } from "./stationary.js";
export { mmdPermutationTest, type PermutationTestOptions, type PermutationTestResult } from "./two-sample-test.js";
