// Stabilized Sinkhorn: scaling iterations on an absorbed kernel K̃ = exp((α ⊕ β − M)/reg); when a
// scaling exceeds tau its logarithm is absorbed into (α, β) and K̃ is rebuilt.
// Method: Schmitzer, "Stabilized sparse scaling algorithms for entropy regularized transport
// problems" (SIAM J. Sci. Comput. 2019), Alg. 2; POT's sinkhorn_stabilized.
import { columnMarginalError, scaleRows } from "./internal/kernel-scaling.js";
import { planFromPotentials, type SinkhornCoreOptions, type SinkhornCoreResult } from "./sinkhorn-types.js";

export function sinkhornStabilized(
  a: Float64Array,
  b: Float64Array,
  M: Float64Array,
  reg: number,
  opts: SinkhornCoreOptions & { tau?: number },
): SinkhornCoreResult {
  const n1 = a.length;
  const n2 = b.length;
  const tau = opts.tau ?? 1e3;
  const alpha = opts.f0 ? Float64Array.from(opts.f0) : new Float64Array(n1);
  const beta = opts.g0 ? Float64Array.from(opts.g0) : new Float64Array(n2);
  const u = new Float64Array(n1).fill(1);
  const v = new Float64Array(n2).fill(1);
  const K = new Float64Array(M.length);
  const rebuild = () => {
    for (let i = 0; i < n1; i++) {
      const o = i * n2;
      for (let j = 0; j < n2; j++) K[o + j] = Math.exp((alpha[i]! + beta[j]! - M[o + j]!) / reg);
    }
  };
  const absorb = () => {
    for (let i = 0; i < n1; i++) {
      alpha[i] = alpha[i]! + reg * Math.log(u[i]!);
      u[i] = 1;
    }
    for (let j = 0; j < n2; j++) {
      beta[j] = beta[j]! + reg * Math.log(v[j]!);
      v[j] = 1;
    }
    rebuild();
  };
  rebuild();
  const ktu = new Float64Array(n2);
  const s = new Float64Array(n2);
  const errors: number[] = [];
  let status: SinkhornCoreResult["status"] = "maxIterReached";
  let it = 0;
  while (it < opts.maxIter) {
    // A non-finite uᵢ counts as a large scaling and is absorbed below rather than reported.
    scaleRows(K, v, a, u);
    it++;
    const err = columnMarginalError(K, u, v, b, ktu, s);
    errors.push(err);
    if (Number.isNaN(err)) {
      status = "numericalError";
      break;
    }
    if (err < opts.tol) {
      status = "converged";
      break;
    }
    for (let j = 0; j < n2; j++) v[j] = b[j]! / ktu[j]!;
    let big = false;
    for (let i = 0; i < n1 && !big; i++) big = !(Math.abs(u[i]!) < tau);
    for (let j = 0; j < n2 && !big; j++) big = !(Math.abs(v[j]!) < tau);
    // Absorb large scalings (and any that over/underflowed, which log keeps finite).
    if (big) absorb();
  }
  const f = Float64Array.from(alpha, (x, i) => x + reg * Math.log(u[i]!));
  const g = Float64Array.from(beta, (x, j) => x + reg * Math.log(v[j]!));
  if (f.some((x) => !Number.isFinite(x)) || g.some((x) => !Number.isFinite(x))) status = "numericalError";
  return { plan: planFromPotentials(f, g, M, reg), f, g, iterations: it, errors, status };
}
