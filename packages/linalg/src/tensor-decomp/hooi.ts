// Higher-order orthogonal iteration for the best rank-(r_1, …, r_N) Tucker approximation
// (De Lathauwer, De Moor & Vandewalle, "On the best rank-1 and rank-(R1, …, RN) approximation of
// higher-order tensors", SIAM J. Matrix Anal. Appl. 21 (2000), Alg. 4.2): start from the truncated
// HOSVD, then per mode U_n ← leading r_n left singular vectors of (X ×_{k≠n} U_kᵀ)_(n). With orthonormal
// factors ‖X − X̂‖² = ‖X‖² − ‖G‖², so the error never increases.
import { asTensor, sub, type Tensor, type TensorLike, ValueError } from "@x/tensor";
import { hosvd, leadingU, normSq, type TuckerOptions, type TuckerResult } from "./hosvd.js";
import { multiModeProduct, unfold } from "./mode-n.js";

export interface HooiOptions extends TuckerOptions {
  /** Sweep cap (default 100). */
  maxIter?: number;
  /** Stop when the error drops by less than iterTol·‖X‖ in a sweep (default 1e-10). */
  iterTol?: number;
}

export interface HooiResult extends TuckerResult {
  converged: boolean;
  iterations: number;
  /** ‖X − X̂‖_F after the HOSVD start and after every sweep. */
  errorHistory: number[];
}

/** Tucker approximation by HOOI (ranks fixed, or chosen by HOSVD's tail bound from `tol`). */
export function hooi(x: TensorLike, options: HooiOptions = {}): HooiResult {
  const X = asTensor(x, "x");
  const { maxIter = 100, iterTol = 1e-10 } = options;
  if (!(Number.isInteger(maxIter) && maxIter >= 0)) {
    throw new ValueError(`hooi: options.maxIter must be a non-negative integer, got ${maxIter}`);
  }
  if (!(iterTol >= 0)) throw new ValueError(`hooi: options.iterTol must be ≥ 0, got ${iterTol}`);
  const start = hosvd(X, options);
  const ranks = start.ranks;
  const factors = [...start.factors];
  const nX = Math.sqrt(normSq(X));
  // Direct residual: sqrt(‖X‖² − ‖G‖²) would lose half the digits to cancellation near exactness.
  const errOf = (g: Tensor) => Math.sqrt(normSq(sub(X, multiModeProduct(g, factors))));
  let core = start.core;
  const errorHistory = [errOf(core)];
  let converged = false;
  let it = 0;
  while (it < maxIter) {
    it++;
    for (let n = 0; n < X.rank; n++) {
      const others = factors.map((f, k) => (k === n ? null : f));
      const Y = multiModeProduct(X, others, true);
      factors[n] = leadingU(unfold(Y, n), ranks[n]!).u;
    }
    core = multiModeProduct(X, factors, true);
    const err = errOf(core);
    const prev = errorHistory[errorHistory.length - 1]!;
    errorHistory.push(err);
    if (prev - err <= iterTol * nX) {
      converged = true;
      break;
    }
  }
  return {
    core,
    factors,
    ranks,
    errorBound: errorHistory[errorHistory.length - 1]!,
    converged,
    iterations: it,
    errorHistory,
  };
}
