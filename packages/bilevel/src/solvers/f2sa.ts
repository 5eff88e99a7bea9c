// F2SA — fully first-order stochastic approximation (Kwon, Kwon, Wright & Nowak, ICML 2023): the
// value-function penalty L_ρ(x, y, λ) = f(x, λ) + ρ(g(x, λ) − g(y, λ)) with y tracking argmin g and x
// tracking argmin f/ρ + g; λ moves along ∇λL_ρ = ∇λf(x) + ρ(∇λg(x) − ∇λg(y)). ρ grows from rho0 to
// rhoMax (error O(1/ρ)); only gradients are used — no Hessian or Jacobian products.
import { add, mul, sub } from "@x/tensor";
import { checkPositive, oracles } from "../internal/oracles.js";
import { sampledObjectives } from "../internal/sampler.js";
import { vnorm } from "../internal/vec.js";
import { innerSteps } from "./aid.js";
import { outerLoop, resolve } from "./common.js";
import type { BilevelSolverOptions, BilevelSolverResult, BilevelSpec } from "./types.js";

export interface F2saOptions extends BilevelSolverOptions {
  /** Initial penalty ρ₀ (default 10). */
  rho0?: number;
  /** Cap on ρ (default 1000). */
  rhoMax?: number;
  /** Additive growth of ρ per iteration (default 1). */
  rhoGrowth?: number;
}

export function f2sa(spec: BilevelSpec, options: F2saOptions = {}): BilevelSolverResult & { rho: number } {
  const r = resolve(spec, options, "f2sa");
  const rho0 = options.rho0 ?? 10;
  const rhoMax = options.rhoMax ?? 1000;
  const growth = options.rhoGrowth ?? 1;
  checkPositive(rho0, "rho0", "f2sa");
  checkPositive(rhoMax, "rhoMax", "f2sa");
  if (!(growth >= 0)) checkPositive(-1, "rhoGrowth (≥ 0)", "f2sa");
  const O = oracles(sampledObjectives(spec, options, "f2sa"));
  let y = r.x0;
  let rho = rho0;
  const res = outerLoop(spec.outer, options, r, { x: r.x0, lambda: r.lambda0 }, (k, s) => {
    rho = Math.min(rhoMax, rho0 + growth * k);
    y = innerSteps(O, y, s.lambda, r.innerLr, r.innerSteps, k);
    // x minimises f/ρ + g: gradient steps with the lower-level step size (its curvature ≈ g's).
    let x = s.x;
    const lr = r.innerLr / (1 + 1 / rho);
    for (let t = 0; t < r.innerSteps; t++)
      x = sub(x, mul(lr, add(mul(1 / rho, O.gxF(x, s.lambda, k)), O.gxG(x, s.lambda, k))));
    const hyper = add(O.glF(x, s.lambda, k), mul(rho, sub(O.glG(x, s.lambda, k), O.glG(y, s.lambda, k))));
    const stationarity = vnorm(O.gxG(y, s.lambda, k).data);
    return { x, lambda: sub(s.lambda, mul(r.outerLr, hyper)), hyper, stationarity };
  });
  // Report the lower-level solution y (x is the penalised one) so outerHistory-style checks use it.
  return { ...res, x: y, rho };
}
