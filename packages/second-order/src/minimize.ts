// `minimize(f, x0, { method })`: one entry point for the deterministic optimisers, in the spirit of
// scipy.optimize.minimize. f maps a Tensor (or a pytree shaped like x0) to a scalar Tensor and is
// differentiated with @x/tensor's valueAndGrad; with { jac: true } it returns [value, gradient] itself.
import { ValueError } from "@x/tensor";
import { arc } from "./arc.js";
import { bfgsModel } from "./bfgs.js";
import { gradientDescent } from "./gradient-descent.js";
import { fdHvp, flattenValues, makeProblem, type Objective } from "./internal/problem.js";
import { quasiNewton } from "./internal/quasi-newton.js";
import { lbfgsModel } from "./lbfgs.js";
import { lbfgsb } from "./lbfgsb.js";
import { dampedNewton } from "./newton.js";
import { type Hvp, newtonCg } from "./newton-cg.js";
import { trustNcg } from "./trust-ncg.js";
import type { MinimizeOptions, MinimizeResult } from "./types.js";

export function minimize(f: Objective, x0: unknown, opts: MinimizeOptions = {}): MinimizeResult {
  const method = opts.method ?? "lbfgs";
  const P = makeProblem(f, x0, `minimize(${method})`, { jac: opts.jac ?? false });
  const hessp = opts.hessp;
  if (hessp !== undefined && typeof hessp !== "function") {
    throw new ValueError(`minimize(${method}): hessp must be a function (x, v) => ∇²f(x)·v`);
  }
  const hvp: Hvp = hessp
    ? (x, v) => {
        P.counts.nhev++;
        return Float64Array.from(flattenValues(hessp(P.view(x), P.view(v)), P.n, `minimize(${method}): hessp result`));
      }
    : opts.hvp === "fd"
      ? (x, v, g) => fdHvp((y) => P.valueGrad(y).g, x, v, g)
      : (x, v, g) => P.hvp(x, v, g);
  switch (method) {
    case "gd":
      return gradientDescent(P, opts);
    case "bfgs":
      return quasiNewton("minimize(bfgs)", P, opts, bfgsModel(P.n));
    case "lbfgs":
      return quasiNewton("minimize(lbfgs)", P, opts, lbfgsModel(P.n, opts.memory ?? 10, opts.scaling ?? "dynamic"));
    case "lbfgsb":
      return lbfgsb(P, opts);
    case "newton-cg":
      return newtonCg(P, hvp, opts);
    case "trust-ncg":
      return trustNcg(P, hvp, opts);
    case "newton":
      return dampedNewton(P, hvp, opts);
    case "arc":
      return arc(P, hvp, opts);
    default:
      throw new ValueError(
        `minimize: unknown method '${String(method)}' (expected gd, bfgs, lbfgs, lbfgsb, newton-cg, trust-ncg, newton or arc)`,
      );
  }
}
