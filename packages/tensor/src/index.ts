// @x/tensor: float64 tensors, nestable autodiff, seeded RNG, LinearOperator and a backend registry.
import "./backends/cpu/register.js";

export {
  type Backend,
  floatPrecision,
  getBackend,
  getKernel,
  type KernelConfig,
  type KernelFunc,
  listBackends,
  listKernels,
  noticeFallback,
  registerBackend,
  registerKernel,
  setBackend,
  setFallbackNotice,
} from "./backend.js";
export { type GemmF64Options, gemmF64 } from "./backends/cpu/matmul-dispatch.js";
export {
  assertFinite,
  DTypeError,
  ParseError,
  ShapeError,
  UnsupportedError,
  ValueError,
  XError,
} from "./errors.js";
export { runKernel } from "./kernel.js";
export * as kernelNames from "./kernel-names.js";
export { LinearOperator, type LinearOperatorOptions } from "./linear-operator.js";
export {
  add,
  clip,
  div,
  equal,
  greater,
  greaterEqual,
  less,
  lessEqual,
  maximum,
  minimum,
  mul,
  notEqual,
  pow,
  sub,
  where,
} from "./ops/binary.js";
export { arange, diag, eye, full, linspace, ones, onesLike, zeros, zerosLike } from "./ops/creation.js";
export {
  argsort,
  cumsum,
  gather,
  putAlongAxisAdd,
  scatterAdd,
  sort,
  take,
  takeAlongAxis,
  topk,
} from "./ops/indexing.js";
export { dot, matmul, outer } from "./ops/matmul.js";
export { gibbsKernel, pairwiseSqDist, scaleRowsCols } from "./ops/ot-kernels.js";
export {
  argmax,
  argmin,
  logsumexp,
  max,
  mean,
  min,
  type NormOptions,
  norm,
  prod,
  type ReduceOptions,
  sum,
  sumTo,
} from "./ops/reduce.js";
export {
  broadcastTo,
  concat,
  expandDims,
  flatten,
  mT,
  pad,
  permute,
  reshape,
  type SliceRange,
  slice,
  squeeze,
  stack,
  transpose,
} from "./ops/shape-ops.js";
export { logSoftmax, logStableMax, softmax, stableMax } from "./ops/softmax.js";
export { stopGradient } from "./ops/stop-gradient.js";
export {
  abs,
  ceil,
  cos,
  digamma,
  erf,
  exp,
  expm1,
  floor,
  isnan,
  lgamma,
  log,
  log1p,
  logBesselI,
  logBesselK,
  logSigmoid,
  neg,
  polygamma,
  reciprocal,
  relu,
  round,
  sigmoid,
  sign,
  sin,
  softplus,
  sqrt,
  square,
  tanh,
} from "./ops/unary.js";
export { type PyTree, treeFlatten, treeLeaves, treeMap } from "./pytree.js";
export {
  foldIn,
  type Key,
  normal,
  permutation,
  rademacher,
  randint,
  rng,
  sphere,
  split,
  threefry2x32,
  uniform,
  uniformArray,
} from "./rng.js";
export { broadcastShapes, type Shape, sizeOf } from "./shape.js";
export * as scalar from "./special/index.js";
export {
  asTensor,
  fromData,
  type NestedArray,
  scalar as scalarTensor,
  Tensor,
  type TensorLike,
  type TypedArray,
  tensor,
} from "./tensor.js";
export {
  customJvp,
  customVjp,
  type GradOptions,
  grad,
  hessian,
  hvp,
  type JacobianOptions,
  jacobian,
  jvp,
  valueAndGrad,
  vjp,
} from "./transforms.js";
export {
  compileSimdModule,
  decodeWasmBase64,
  instantiateSimdModule,
  WASM_MAX_BYTES,
  WASM_PAGE,
  wasmSimdAvailable,
  wasmValidates,
} from "./wasm-simd.js";
