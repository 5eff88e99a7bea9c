import { bind } from "../autodiff/trace.js";
import { asTensor, type Tensor, type TensorLike } from "../tensor.js";
import { definePrimitive } from "./primitive.js";

// Identity whose derivative is zero at every level: no jvp/vjp rule means "constant".
const StopGradient = definePrimitive("StopGradient", { impl: ([x]) => x! });

/** Returns x, treated as a constant by every autodiff transform. */
export function stopGradient(x: TensorLike): Tensor {
  return bind(StopGradient, [asTensor(x)]);
}
