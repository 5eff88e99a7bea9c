// BO-REP (Hao, Gong & Liu, "Bilevel optimization under unbounded smoothness: a new algorithm and
// convergence analysis", ICLR 2024): for upper levels whose smoothness grows with the gradient norm.
// (1) normalised momentum on λ: m ← βm + (1−β)ĥ, λ ← λ − η m/‖m‖; (2) initialisation refinement: the
// lower level is first solved with many steps; (3) periodic updates: x is refreshed by N steps only
// every I iterations; (4) the inverse-HVP variable z follows SOBA-style steps every iteration.
import { add, mul, sub, type Tensor, ValueError, zerosLike } from "@x/tensor";
import { checkCount, checkPositive, oracles } from "../internal/oracles.js";
import { sampledObjectives } from "../internal/sampler.js";
import { vnorm } from "../internal/vec.js";
import { innerSteps } from "./aid.js";
import { outerLoop, resolve } from "./common.js";
import type { BilevelSolverOptions, BilevelSolverResult, BilevelSpec } from "./types.js";

export interface BoRepOptions extends BilevelSolverOptions {
  /** Momentum β ∈ [0, 1) (default 0.9). */
  beta?: number;
  /** Inner steps of the initialisation refinement (default 10·innerSteps). */
  refineSteps?: number;
  /** Update the lower level every `period` iterations (default 5), each time with innerSteps steps. */
  period?: number;
  /**
   * Normalised step schedule: "constant" (default; the paper's analysis fixes η from the target accuracy, so the
   * iterate settles in a ball of radius ~η) or "sqrt" (η_k = η/√(k+1), the usual decay for normalised
   * momentum methods, which shrinks that ball as k grows).
   */
  stepDecay?: "constant" | "sqrt";
}

export function boRep(spec: BilevelSpec, options: BoRepOptions = {}): BilevelSolverResult {
  const r = resolve(spec, options, "boRep");
  const beta = options.beta ?? 0.9;
  if (!(beta >= 0 && beta < 1)) checkPositive(-1, "beta (in [0, 1))", "boRep");
  const period = options.period ?? 5;
  checkCount(period, "period", "boRep");
  const refine = options.refineSteps ?? 10 * r.innerSteps;
  checkCount(refine, "refineSteps", "boRep", 0);
  const decay = options.stepDecay ?? "constant";
  if (decay !== "constant" && decay !== "sqrt") {
    throw new ValueError(`boRep: options.stepDecay must be "constant" or "sqrt", got ${String(decay)}`);
  }
  const O = oracles(sampledObjectives(spec, options, "boRep"));
  const x0 = innerSteps(O, r.x0, r.lambda0, r.innerLr, refine, 0);
  let z = zerosLike(r.x0);
  let m: Tensor | undefined;
  return outerLoop(spec.outer, options, r, { x: x0, lambda: r.lambda0 }, (k, s) => {
    let x = s.x;
    if (k > 0 && k % period === 0) x = innerSteps(O, x, s.lambda, r.innerLr, r.innerSteps, k);
    // z ≈ −H⁻¹∇ₓf, several gradient steps (the paper's Hessian-inverse-vector-product update).
    for (let t = 0; t < Math.max(1, r.innerSteps); t++) {
      z = sub(z, mul(r.innerLr, add(O.hxx(x, s.lambda, z, k), O.gxF(x, s.lambda, k))));
    }
    const hyper = add(O.glF(x, s.lambda, k), O.hlx(x, s.lambda, z, k));
    m = m === undefined ? hyper : add(mul(beta, m), mul(1 - beta, hyper));
    const mn = vnorm(m.data);
    const eta = decay === "sqrt" ? r.outerLr / Math.sqrt(k + 1) : r.outerLr;
    const lambda = mn > 0 ? sub(s.lambda, mul(eta / mn, m)) : s.lambda;
    return { x, lambda, hyper, stationarity: vnorm(O.gxG(x, s.lambda, k).data) };
  });
}
