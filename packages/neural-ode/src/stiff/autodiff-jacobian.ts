// Exact Jacobians for the stiff solvers by automatic differentiation: a Float64Array `f` and `jac` pair built from one
// Tensor vector field, so users write the right-hand side once and Rodas4 / TR-BDF2 / auto get ∂f/∂y from @x/tensor
// (reverse mode, one VJP per output component) instead of finite differences.
import * as X from "@x/tensor";
import { ShapeError } from "@x/tensor";
import type { JacFunction, OdeFunction } from "../types.js";

export function autodiffField<A = unknown>(
  f: (t: number, y: X.Tensor, args: A) => X.Tensor,
  n: number,
): { f: OdeFunction<A>; jac: JacFunction<A> } {
  const wrap = (y: Float64Array) => X.fromData(Float64Array.from(y), [n]);
  return {
    f: (t, y, args) => {
      const out = f(t, wrap(y), args);
      if (out.size !== n) throw new ShapeError(`f returned ${out.size} values, expected ${n}`);
      return out.data;
    },
    jac: (t, y, args) => X.jacobian((yy: X.Tensor) => f(t, yy, args))(wrap(y)).data,
  };
}
