// Implicit differentiation of a fixed point x* = T(x*, θ) (Blondel et al. 2022, §2.1): the root of
// F(x, θ) = T(x, θ) − x. Here A = ∂T/∂x − I is not symmetric, so the default solve is GMRES; the
// Neumann option with step η = −1 is the classic series (I − J)⁻¹ = Σₖ Jᵏ, convergent when T contracts.
import { sub, type Tensor } from "@x/tensor";
import { type CustomRootOptions, customRoot, type InnerSolver, type RootFunction } from "./custom-root.js";

export function customFixedPoint<P>(
  T: (x: Tensor, theta: P) => Tensor,
  solver: InnerSolver<P>,
  options: CustomRootOptions = {},
): RootFunction<P> {
  const solve = options.solve ?? "gmres";
  const neumannStep = options.neumannStep ?? (solve === "neumann" ? -1 : undefined);
  return customRoot((x, theta) => sub(T(x, theta), x), solver, {
    ...options,
    solve,
    ...(neumannStep !== undefined ? { neumannStep } : {}),
  });
}
