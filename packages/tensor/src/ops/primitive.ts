// A primitive = a kernel name + its JVP and VJP rules (written with public ops, so they nest).
import type { Attrs, Primitive, Tangent } from "../autodiff/trace.js";
import { runKernel } from "../kernel.js";
import type { Tensor } from "../tensor.js";

type Rules = Omit<Primitive, "name" | "impl"> & { impl?: Primitive["impl"] };

export function definePrimitive(name: string, rules: Rules = {}): Primitive {
  return { name, impl: (inputs: Tensor[], attrs: Attrs) => runKernel(name, inputs, attrs), ...rules };
}

/** Sums tangent contributions, skipping symbolic zeros. */
export function sumTangents(add: (a: Tensor, b: Tensor) => Tensor, ...ts: Tangent[]): Tangent {
  let acc: Tangent = null;
  for (const t of ts) if (t !== null) acc = acc === null ? t : add(acc, t);
  return acc;
}
