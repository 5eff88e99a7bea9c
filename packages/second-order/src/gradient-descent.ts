// Gradient descent with Armijo backtracking (Armijo 1966; Nocedal & Wright, Alg. 3.1). Each
// iteration starts its trial step at twice the last accepted one, so the step adapts both ways.
// The default c1 = ½ matters: on a quadratic it caps the step at 1/(Rayleigh quotient of g), which
// rules out the zigzag that steps near 2/λ_max (accepted by c1 = 1e-4) cause.
import { ValueError } from "@x/tensor";
import type { Problem } from "./internal/problem.js";
import { Run, WatchedObjective } from "./internal/run.js";
import { dot, scaled } from "./internal/vec.js";
import { backtracking } from "./line-search.js";
import type { MinimizeOptions, MinimizeResult } from "./types.js";

export function gradientDescent(P: Problem, opts: MinimizeOptions): MinimizeResult {
  const run = new Run("minimize(gd)", P, opts);
  const lr = opts.learningRate ?? 1;
  if (!(lr > 0 && Number.isFinite(lr))) throw new ValueError(`minimize: learningRate must be > 0, got ${lr}`);
  const start = run.start();
  if (start.done) return start.done;
  let { x, f, g, message } = start;
  let alpha = lr;
  const watched = new WatchedObjective(P);
  while (message === null) {
    const p = scaled(g, -1);
    const ls = backtracking(watched.value, x, p, f, dot(g, p), alpha, { c1: opts.c1 ?? 0.5, maxEvals: 60 }, (xa) =>
      dot(P.valueGrad(xa).g, p),
    );
    const next = watched.acceptBacktracking(ls);
    if (typeof next === "string") {
      message = next;
      break;
    }
    ({ x, f, g } = next);
    alpha = 2 * ls.alpha;
    message = run.record(x, f, g);
  }
  return run.result(x, f, g, message);
}
