// Stochastic Lanczos quadrature for spectral densities and tr f(A) (Ubaru, Chen & Saad, SIAM J. Matrix
// Anal. Appl. 38(4), 2017): Gauss quadrature from the Lanczos tridiagonal of each random probe.
import { type Key, rademacher, type Tensor, tensor, ValueError } from "@x/tensor";
import { applyRaw, checkCount, keyOf, type OperatorInput, operatorOf } from "./common.js";
import { lanczosTridiag } from "./lanczos.js";
import { tridiagonalEig } from "./tridiagonal-eig.js";

export interface SlqOptions {
  numProbes?: number;
  lanczosSteps?: number;
  key?: Key;
  seed?: number;
}

/**
 * Spectral density estimate: nodes θ and weights w (summing to 1) so that (1/n) tr f(A) ≈ Σ w f(θ).
 * Returned as flat tensors over all probes (each probe's weights scaled by 1/numProbes).
 */
export function slq(A: OperatorInput, opts: SlqOptions = {}): { nodes: Tensor; weights: Tensor; n: number } {
  const op = operatorOf(A, "slq");
  const n = op.shape[0];
  const probes = opts.numProbes ?? 30;
  const steps = Math.min(opts.lanczosSteps ?? 30, n);
  checkCount(probes, Number.MAX_SAFE_INTEGER, "numProbes", "slq");
  checkCount(steps, n, "lanczosSteps", "slq");
  const apply = applyRaw(op);
  const Z = rademacher(keyOf(opts), [probes, n]).data;
  const nodes: number[] = [];
  const weights: number[] = [];
  for (let p = 0; p < probes; p++) {
    const z = Float64Array.from(Z.subarray(p * n, (p + 1) * n));
    const { alpha, beta } = lanczosTridiag(apply, z, steps);
    const m = alpha.length;
    const { values, vectors } = tridiagonalEig(alpha, beta, [0]);
    for (let j = 0; j < m; j++) {
      nodes.push(values[j]!);
      // Gauss weight = (first component of the Ritz vector)²; probes have ‖z‖² = n.
      weights.push(vectors[j]! ** 2 / probes);
    }
  }
  return {
    nodes: tensor(Float64Array.from(nodes), [nodes.length]),
    weights: tensor(Float64Array.from(weights), [weights.length]),
    n,
  };
}

/** tr f(A) ≈ n Σ w f(θ) by SLQ. */
export function slqTrace(A: OperatorInput, f: (x: number) => number, opts: SlqOptions = {}): number {
  const { nodes, weights, n } = slq(A, opts);
  let s = 0;
  for (let i = 0; i < nodes.size; i++) s += weights.data[i]! * f(nodes.data[i]!);
  if (!Number.isFinite(s)) throw new ValueError("slqTrace: f produced a non-finite value on the Ritz nodes");
  return n * s;
}

/** log det A for symmetric positive definite A by SLQ (f = log). */
export function slqLogdet(A: OperatorInput, opts: SlqOptions = {}): number {
  const { nodes, weights, n } = slq(A, opts);
  let s = 0;
  for (let i = 0; i < nodes.size; i++) {
    const t = nodes.data[i]!;
    if (!(t > 0)) throw new ValueError(`slqLogdet: A must be positive definite (Ritz value ${t} ≤ 0)`);
    s += weights.data[i]! * Math.log(t);
  }
  return n * s;
}
