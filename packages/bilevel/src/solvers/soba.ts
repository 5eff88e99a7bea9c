// SOBA (Dagréou, Ablin, Vaiter & Moreau, "A framework for bilevel optimization that enables stochastic
// and global variance reduction algorithms", NeurIPS 2022): one step on each of x, z, λ per iteration,
// where z tracks the inverse-HVP solution of ∇²ₓₓg z = −∇ₓf by a gradient step on ½zᵀHz + ⟨∇ₓf, z⟩:
//   x ← x − ρ∇ₓg,  z ← z − ρ(∇²ₓₓg z + ∇ₓf),  λ ← λ − γ(∇λf + ∇²_λx g z).
import { add, mul, sub, zerosLike } from "@x/tensor";
import { oracles } from "../internal/oracles.js";
import { sampledObjectives } from "../internal/sampler.js";
import { vnorm } from "../internal/vec.js";
import { outerLoop, resolve } from "./common.js";
import type { BilevelSolverOptions, BilevelSolverResult, BilevelSpec } from "./types.js";

export function soba(spec: BilevelSpec, options: BilevelSolverOptions = {}): BilevelSolverResult {
  const r = resolve(spec, options, "soba");
  const O = oracles(sampledObjectives(spec, options, "soba"));
  let z = zerosLike(r.x0);
  return outerLoop(spec.outer, options, r, { x: r.x0, lambda: r.lambda0 }, (k, s) => {
    const { x, lambda: l } = s;
    const hyper = add(O.glF(x, l, k), O.hlx(x, l, z, k));
    const zRes = add(O.hxx(x, l, z, k), O.gxF(x, l, k));
    const gx = O.gxG(x, l, k);
    z = sub(z, mul(r.innerLr, zRes));
    const stationarity = Math.max(vnorm(zRes.data), vnorm(gx.data));
    return { x: sub(x, mul(r.innerLr, gx)), lambda: sub(l, mul(r.outerLr, hyper)), hyper, stationarity };
  });
}
