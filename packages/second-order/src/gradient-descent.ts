// Gradient descent with Armijo backtracking (Armijo 1966; Nocedal & Wright, Alg. 3.1). Each
// iteration starts its trial step at twice the last accepted one, so the step adapts both ways.
// The default c1 = ½ matters: on a quadratic it caps the step at 1/(Rayleigh quotient of g), which
// rules out the zigzag that steps near 2/λ_max (accepted by c1 = 1e-4) cause.
import { ValueError } from "@x/tensor";
import { finitePoint, type Problem } from "./internal/problem.js";
import { NONFINITE_START, NONFINITE_STEP, Run } from "./internal/run.js";
import { dot, scaled } from "./internal/vec.js";
import { backtracking } from "./line-search.js";
import type { MinimizeOptions, MinimizeResult } from "./types.js";

export function gradientDescent(P: Problem, opts: MinimizeOptions): MinimizeResult {
  const run = new Run("minimize(gd)", P, opts);
  const lr = opts.learningRate ?? 1;
  if (!(lr > 0 && Number.isFinite(lr))) throw new ValueError(`minimize: learningRate must be > 0, got ${lr}`);
  let x = P.x0;
  let { f, g } = P.valueGrad(x);
  if (!finitePoint(f, g)) {
    run.record(x, f, g);
    return run.result(x, f, g, NONFINITE_START);
  }
  let message = run.record(x, f, g);
  let alpha = lr;
  let nonFinite = false;
  const value = (xa: Float64Array) => {
    const v = P.value(xa);
    if (!Number.isFinite(v)) nonFinite = true;
    return v;
  };
  while (message === null) {
    const p = scaled(g, -1);
    const ls = backtracking(value, x, p, f, dot(g, p), alpha, { c1: opts.c1 ?? 0.5, maxEvals: 60 }, (xa) =>
      dot(P.valueGrad(xa).g, p),
    );
    if (!ls.ok) {
      message = nonFinite
        ? NONFINITE_STEP
        : "line search failed: no step with sufficient decrease (precision loss near a minimum?)";
      break;
    }
    const r = P.valueGrad(ls.x);
    if (!finitePoint(r.f, r.g)) {
      message = NONFINITE_STEP;
      break;
    }
    x = ls.x;
    f = r.f;
    g = r.g;
    alpha = 2 * ls.alpha;
    message = run.record(x, f, g);
  }
  return run.result(x, f, g, message);
}
