// Splits a shape around one axis into (outer, n, inner) so axis-wise kernels are three plain loops.
import type { Shape } from "../../shape.js";
import { sizeOf } from "../../shape.js";

export function aroundAxis(shape: Shape, axis: number): { outer: number; n: number; inner: number } {
  return { outer: sizeOf(shape.slice(0, axis)), n: shape[axis]!, inner: sizeOf(shape.slice(axis + 1)) };
}
