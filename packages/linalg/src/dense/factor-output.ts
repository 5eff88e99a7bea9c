// One output of a multi-output factorisation (svd's s, U, Vᵀ; eigh's values, vectors) as its own customJvp
// primitive. All outputs share one JVP computation (`parts`, which calls the primitives again so that derivatives
// nest); each primitive picks its value and tangent from it.
import { customJvp, type Tensor } from "@x/tensor";

export function factorOutput<K extends string>(
  value: (a: Tensor) => Tensor,
  parts: (a: Tensor, da: Tensor) => Record<K, Tensor>,
  out: K,
  tangent: K,
): (a: Tensor) => Tensor {
  return customJvp(value, ([a], [da]) => {
    const p = parts(a, da);
    return [p[out], p[tangent]];
  }) as (a: Tensor) => Tensor;
}
