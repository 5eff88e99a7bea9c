// @x/ot: optimal transport on @x/tensor.

export { type BarycenterOptions, type BarycenterResult, barycenter } from "./barycenter.js";
export { type CostNormalization, dist, type Metric, normalizeCost } from "./dist.js";
export { type EmdOptions, type EmdResult, emd, emd2 } from "./emd.js";
export { barycentricProjection, type EntropicMapResult, entropicMap } from "./entropic-map.js";
export {
  type FreeSupportBarycenterOptions,
  type FreeSupportBarycenterResult,
  freeSupportBarycenter,
} from "./free-support-barycenter.js";
export { type BuresBarycenterResult, buresBarycenter, buresDistance2, gaussianMap, gaussianW2 } from "./gaussian.js";
export { type EntropicGwOptions, type EntropicGwResult, entropicGromovWasserstein } from "./gromov.js";
export { type LinearSumAssignmentOptions, type LinearSumAssignmentResult, linearSumAssignment } from "./lap.js";
export {
  type LoptDistanceOptions,
  type LoptEmbedding,
  type LoptEmbeddingOptions,
  type LoptEmbeddingResult,
  loptDistance,
  loptEmbedding,
} from "./lopt-embedding.js";
export { type LotEmbeddingResult, type LotMeasure, lotDistance, lotEmbedding } from "./lot-embedding.js";
export { type MongeGapOptions, mongeGap } from "./monge-gap.js";
export { entropicPartialWasserstein, type PartialResult, partialWasserstein, partialWasserstein2 } from "./partial.js";
export { type PartialWasserstein1dOptions, partialWasserstein1d } from "./partial-wasserstein-1d.js";
export { type QuadraticOtResult, quadraticOt } from "./quadratic-ot.js";
export {
  type Sinkhorn2Options,
  type SinkhornDivergenceOptions,
  type SinkhornMethod,
  type SinkhornOptions,
  type SinkhornResult,
  sinkhorn,
  sinkhorn2,
  sinkhornDivergence,
} from "./sinkhorn.js";
export {
  type SinkhornNewtonSparseOptions,
  type SinkhornNewtonSparseResult,
  sinkhornNewtonSparse,
} from "./sinkhorn-newton-sparse.js";
export { maxSlicedWassersteinDistance, type SlicedOptions, slicedWassersteinDistance } from "./sliced.js";
export {
  projectSparseSimplex,
  type SparsityConstrainedOtOptions,
  type SparsityConstrainedOtResult,
  sparsityConstrainedOt,
} from "./sparsity-constrained-ot.js";
export {
  sinkhornUnbalanced,
  sinkhornUnbalanced2,
  type UnbalancedOptions,
  type UnbalancedResult,
} from "./unbalanced.js";
export { wasserstein1d } from "./wasserstein-1d.js";
