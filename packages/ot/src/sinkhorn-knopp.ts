// Sinkhorn–Knopp matrix scaling: P = diag(u) K diag(v), K = exp(−M/reg), alternating u = a / Kv,
// v = b / Kᵀu. Method: Cuturi, "Sinkhorn distances: lightspeed computation of optimal transport"
// (NeurIPS 2013). Fast but underflows for small reg; the result then says "numericalError".
import { columnMarginalError, scaleRows } from "./internal/kernel-scaling.js";
import type { SinkhornCoreOptions, SinkhornCoreResult } from "./sinkhorn-types.js";

export function sinkhornKnopp(
  a: Float64Array,
  b: Float64Array,
  M: Float64Array,
  reg: number,
  opts: SinkhornCoreOptions,
): SinkhornCoreResult {
  const n1 = a.length;
  const n2 = b.length;
  const K = new Float64Array(M.length);
  for (let k = 0; k < M.length; k++) K[k] = Math.exp(-M[k]! / reg);
  const u = opts.f0 ? Float64Array.from(opts.f0, (x) => Math.exp(x / reg)) : new Float64Array(n1).fill(1 / n1);
  const v = opts.g0 ? Float64Array.from(opts.g0, (x) => Math.exp(x / reg)) : new Float64Array(n2).fill(1 / n2);
  const ktu = new Float64Array(n2);
  const s = new Float64Array(n2);
  const errors: number[] = [];
  let status: SinkhornCoreResult["status"] = "maxIterReached";
  let it = 0;
  while (it < opts.maxIter) {
    if (!scaleRows(K, v, a, u)) {
      status = "numericalError";
      break;
    }
    it++;
    const err = columnMarginalError(K, u, v, b, ktu, s);
    errors.push(err);
    if (!Number.isFinite(err) || ktu.some((x) => x === 0)) {
      status = "numericalError";
      break;
    }
    if (err < opts.tol) {
      status = "converged";
      break;
    }
    for (let j = 0; j < n2; j++) v[j] = b[j]! / ktu[j]!;
  }
  const plan = new Float64Array(n1 * n2);
  for (let i = 0; i < n1; i++) {
    const o = i * n2;
    for (let j = 0; j < n2; j++) plan[o + j] = u[i]! * K[o + j]! * v[j]!;
  }
  const f = Float64Array.from(u, (x) => reg * Math.log(x));
  const g = Float64Array.from(v, (x) => reg * Math.log(x));
  return { plan, f, g, iterations: it, errors, status };
}
