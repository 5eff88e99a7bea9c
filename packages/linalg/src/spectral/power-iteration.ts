// Power iteration for the dominant eigenpair (Golub & Van Loan, Matrix Computations, 4th ed., §7.3.1).
import { type Key, normal, type Tensor, tensor, ValueError } from "@x/tensor";
import { applyRaw, dot, keyOf, norm, type OperatorInput, operatorOf } from "./common.js";

export interface PowerIterationOptions {
  key?: Key;
  seed?: number;
  /** Stop when ‖A v − λ v‖ ≤ tol·|λ| (default 1e-8). */
  tol?: number;
  maxIter?: number;
}

export interface PowerIterationResult {
  value: number;
  vector: Tensor;
  converged: boolean;
  iterations: number;
  residualNorms: number[];
}

/** Dominant (largest-magnitude) eigenvalue of a square A and its unit eigenvector. */
export function powerIteration(A: OperatorInput, opts: PowerIterationOptions = {}): PowerIterationResult {
  const op = operatorOf(A, "powerIteration");
  const n = op.shape[0];
  const tol = opts.tol ?? 1e-8;
  const maxIter = opts.maxIter ?? 1000;
  if (!(tol >= 0)) throw new ValueError(`powerIteration: tol must be ≥ 0, got ${tol}`);
  const apply = applyRaw(op);
  let v = Float64Array.from(normal(keyOf(opts), [n]).data);
  let nv = norm(v);
  for (let i = 0; i < n; i++) v[i]! /= nv;
  let value = 0;
  const residualNorms: number[] = [];
  let converged = false;
  let it = 0;
  while (it < maxIter) {
    const w = apply(v);
    value = dot(v, w);
    let r = 0;
    for (let i = 0; i < n; i++) r += (w[i]! - value * v[i]!) ** 2;
    r = Math.sqrt(r);
    residualNorms.push(r);
    if (r <= tol * Math.max(Math.abs(value), Number.MIN_VALUE)) {
      converged = true;
      break;
    }
    nv = norm(w);
    if (nv === 0) break; // A v = 0: v is an eigenvector with eigenvalue 0 (caught by the residual above).
    for (let i = 0; i < n; i++) w[i]! /= nv;
    v = w;
    it++;
  }
  return { value, vector: tensor(v, [n]), converged, iterations: it, residualNorms };
}
