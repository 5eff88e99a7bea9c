// @x/verify: sound neural-network verification — ONNX + VNN-LIB readers, IBP / CROWN / α-CROWN bounds,
// branch and bound (input and ReLU splitting), falsification, local Lipschitz bounds.
export { type AlphaOptions, type AlphaResult, alphaCrownLower } from "./alpha-crown.js";
export { type BoundMethod, type BoundsOptions, type BoundsResult, type Box, computeBounds } from "./bounds.js";
export { type BackwardContext, type BackwardResult, backwardLower, crownIntermediate } from "./crown.js";
export {
  type Counterexample,
  checkCounterexample,
  type FalsifyOptions,
  falsify,
  minimaxDescent,
  pgd,
  specMargin,
} from "./falsify.js";
export { denseInterval, type Interval, ibp } from "./ibp.js";
export { type LipschitzOptions, type LipschitzResult, localLipschitz } from "./lipschitz.js";
export {
  type Activation,
  type DenseLayer,
  evaluate,
  forward,
  forwardTrace,
  gradient,
  type Network,
  sequential,
} from "./network.js";
export { loadOnnx, onnxGraphToNetwork } from "./onnx-import.js";
export { type OnnxGraph, type OnnxNode, type OnnxTensor, readOnnxGraph } from "./onnx-reader.js";
export { nextDown, nextUp } from "./rounding.js";
export {
  checkProperty,
  type VerifyOptions,
  type VerifyProgress,
  type VerifyResult,
  type VerifyStatus,
  verify,
} from "./verify.js";
export { formatResult, type Instance, parseInstances } from "./vnncomp.js";
export { parseVnnlib, type VnnProperty, type VnnSpec } from "./vnnlib.js";
