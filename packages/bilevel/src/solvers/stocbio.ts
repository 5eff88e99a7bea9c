// stocBiO (Ji, Yang & Liang, ICML 2021): stochastic AID whose inverse-HVP is the truncated Neumann
// series η Σ_{q<Q} (I − η∇²ₓₓg)^q ∇ₓf built from Q Hessian-vector products. Oracles receive the
// iteration index, so f and g may return minibatch estimates (then this is the stochastic method).
import { add, mul, sub, type Tensor } from "@x/tensor";
import { checkCount, oracles } from "../internal/oracles.js";
import { sampledObjectives } from "../internal/sampler.js";
import { innerSteps } from "./aid.js";
import { outerLoop, resolve } from "./common.js";
import type { BilevelSolverOptions, BilevelSolverResult, BilevelSpec } from "./types.js";

export interface StocBioOptions extends BilevelSolverOptions {
  /** Neumann terms Q (default 20). */
  neumannTerms?: number;
  /** Neumann step η (default innerLr). */
  neumannStep?: number;
}

export function stocBio(spec: BilevelSpec, options: StocBioOptions = {}): BilevelSolverResult {
  const r = resolve(spec, options, "stocBio");
  const Q = options.neumannTerms ?? 20;
  checkCount(Q, "neumannTerms", "stocBio");
  const eta = options.neumannStep ?? r.innerLr;
  const O = oracles(sampledObjectives(spec, options, "stocBio"));
  return outerLoop(spec.outer, options, r, { x: r.x0, lambda: r.lambda0 }, (k, s) => {
    const x = innerSteps(O, s.x, s.lambda, r.innerLr, r.innerSteps, k);
    const b = O.gxF(x, s.lambda, k);
    // v = η Σ_q (I − ηH)^q b
    let term = b;
    let v = b;
    for (let q = 1; q < Q; q++) {
      term = sub(term, mul(eta, O.hxx(x, s.lambda, term, k)));
      v = add(v, term);
    }
    v = mul(eta, v);
    const hyper = sub(O.glF(x, s.lambda, k), O.hlx(x, s.lambda, v, k));
    return { x, lambda: sub(s.lambda, mul(r.outerLr, hyper)), hyper: hyper as Tensor };
  });
}
