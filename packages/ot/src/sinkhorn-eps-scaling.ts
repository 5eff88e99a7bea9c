// ε-scaling: solve a sequence of log-domain Sinkhorn problems with geometrically decreasing
// regularisation, warm-starting each from the previous potentials.
// Method: Schmitzer (2019) §3.2; Chizat et al. (2018). Large reg converges in few iterations and
// its potentials are good starting points for the next, smaller reg.
import { sinkhornLog } from "./sinkhorn-log.js";
import type { SinkhornCoreOptions, SinkhornCoreResult } from "./sinkhorn-types.js";

export function sinkhornEpsScaling(
  a: Float64Array,
  b: Float64Array,
  M: Float64Array,
  reg: number,
  opts: SinkhornCoreOptions & { epsilon0?: number; scalingFactor?: number },
): SinkhornCoreResult {
  let maxM = 0;
  for (let k = 0; k < M.length; k++) maxM = Math.max(maxM, Math.abs(M[k]!));
  const factor = opts.scalingFactor ?? 0.5;
  let eps = Math.max(reg, opts.epsilon0 ?? maxM);
  let f = opts.f0;
  let g = opts.g0;
  let iterations = 0;
  const errors: number[] = [];
  for (;;) {
    const last = eps <= reg;
    const r = sinkhornLog(a, b, M, eps, {
      maxIter: opts.maxIter - iterations,
      // Intermediate levels need only a rough fit; the last one gets the requested tolerance.
      tol: last ? opts.tol : Math.max(opts.tol, 1e-3),
      f0: f,
      g0: g,
      expBackend: opts.expBackend,
    });
    iterations += r.iterations;
    errors.push(...r.errors);
    f = r.f;
    g = r.g;
    if (last || r.status === "numericalError" || iterations >= opts.maxIter) {
      return {
        ...r,
        iterations,
        errors,
        status: last ? r.status : r.status === "numericalError" ? r.status : "maxIterReached",
      };
    }
    eps = Math.max(reg, eps * factor);
  }
}
