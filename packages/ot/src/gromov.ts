// Entropic Gromov–Wasserstein with the square loss: projected mirror descent where each step is a
// Sinkhorn problem on the linearised cost. Method: Peyré, Cuturi & Solomon, "Gromov–Wasserstein
// averaging of kernel and distance matrices" (ICML 2016), Prop. 1 and Alg. 1 (square-loss
// decomposition L(a, b) = a² + b² − 2ab); POT's entropic_gromov_wasserstein.
import * as X from "@x/tensor";
import { fromData, ShapeError, type Tensor, type TensorLike, ValueError } from "@x/tensor";
import {
  checkCost,
  checkEqualMass,
  checkMarginal,
  checkPositive,
  marginalOrUniform,
  mat,
} from "./internal/validate.js";
import { sinkhorn } from "./sinkhorn.js";

export interface EntropicGwOptions {
  maxIter?: number;
  /** Stop when ‖T − T_prev‖_F < tol (default 1e-9). */
  tol?: number;
  /** Inner Sinkhorn method (default "sinkhorn", as POT) and its limits. */
  method?: "sinkhorn" | "log";
  innerMaxIter?: number;
  innerTol?: number;
}

export interface EntropicGwResult {
  plan: Tensor;
  /** Σ_ijkl (C1_ik − C2_jl)² T_ij T_kl. */
  cost: number;
  converged: boolean;
  iterations: number;
}

export function entropicGromovWasserstein(
  C1: TensorLike,
  C2: TensorLike,
  p: TensorLike | undefined,
  q: TensorLike | undefined,
  reg: number,
  opts: EntropicGwOptions = {},
): EntropicGwResult {
  checkPositive(reg, "reg");
  const A = mat(C1, "C1");
  const B = mat(C2, "C2");
  checkCost(A, "C1");
  checkCost(B, "C2");
  if (A.rows !== A.cols || B.rows !== B.cols) throw new ShapeError("C1 and C2 must be square (intra-domain) matrices");
  const pv = marginalOrUniform(p, A.rows, "p");
  const qv = marginalOrUniform(q, B.rows, "q");
  checkEqualMass(checkMarginal(pv, "p"), checkMarginal(qv, "q"));
  const maxIter = opts.maxIter ?? 1000;
  const tol = opts.tol ?? 1e-9;
  if (!(maxIter >= 1)) throw new ValueError(`maxIter must be ≥ 1, got ${maxIter}`);
  const n = A.rows;
  const m = B.rows;
  const c1 = fromData(Float64Array.from(A.data), [n, n]);
  const c2 = fromData(Float64Array.from(B.data), [m, m]);
  const pt = fromData(Float64Array.from(pv), [n]);
  const qt = fromData(Float64Array.from(qv), [m]);
  // constC = (C1² p) 𝟙ᵀ + 𝟙 (C2² q)ᵀ; the linearised cost at T is constC − 2 C1 T C2ᵀ.
  const constC = X.add(X.reshape(X.matmul(X.square(c1), pt), [n, 1]), X.reshape(X.matmul(X.square(c2), qt), [1, m]));
  const tens = (T: Tensor) => X.sub(constC, X.mul(2, X.matmul(X.matmul(c1, T), X.mT(c2))));
  let T = X.outer(pt, qt);
  let converged = false;
  let it = 0;
  while (it < maxIter) {
    const prev = T;
    T = sinkhorn(pt, qt, X.mul(2, tens(T)), reg, {
      method: opts.method ?? "sinkhorn",
      maxIter: opts.innerMaxIter ?? 1000,
      tol: opts.innerTol ?? 1e-9,
    }).plan;
    it++;
    if (X.norm(X.sub(T, prev)).item() < tol) {
      converged = true;
      break;
    }
  }
  const cost = X.sum(X.mul(tens(T), T)).item();
  return { plan: T, cost, converged, iterations: it };
}
