// Lanczos with full reorthogonalisation for extreme eigenpairs of a symmetric operator
// (Lanczos 1950; Golub & Van Loan, Matrix Computations, 4th ed., §10.1).
import { type Key, normal, type Tensor, tensor, ValueError } from "@x/tensor";
import { applyRaw, checkCount, dot, keyOf, norm, type OperatorInput, operatorOf, orthogonalize } from "./common.js";
import { tridiagonalEig } from "./tridiagonal-eig.js";

export interface LanczosOptions {
  which?: "largest" | "smallest";
  key?: Key;
  seed?: number;
  /** Maximum Krylov dimension (default n; capped at n). */
  maxIter?: number;
  /** Stop when every wanted Ritz residual ≤ tol·max|θ| (default 1e-8). */
  tol?: number;
  /** Starting vector (default: seeded Gaussian). */
  v0?: Tensor;
}

export interface LanczosResult {
  /** k eigenvalues, descending for 'largest', ascending for 'smallest'. */
  values: Tensor;
  /** n×k matrix of eigenvectors (columns). */
  vectors: Tensor;
  converged: boolean;
  iterations: number;
  /** Max wanted-Ritz-pair residual after each step. */
  residualNorms: number[];
}

/** @internal Raw Lanczos tridiagonalisation: returns alpha, beta, basis (used by SLQ too). */
export function lanczosTridiag(
  apply: (x: Float64Array) => Float64Array<ArrayBuffer>,
  v0: Float64Array,
  steps: number,
  reorth = true,
): { alpha: number[]; beta: number[]; basis: Float64Array[] } {
  const n = v0.length;
  const alpha: number[] = [];
  const beta: number[] = [];
  const basis: Float64Array[] = [];
  let q = Float64Array.from(v0);
  const nq = norm(q);
  for (let i = 0; i < n; i++) q[i]! /= nq;
  let qPrev = new Float64Array(n);
  let b = 0;
  for (let j = 0; j < steps; j++) {
    basis.push(q);
    const w = apply(q);
    const a = dot(q, w);
    alpha.push(a);
    for (let i = 0; i < n; i++) w[i]! -= a * q[i]! + b * qPrev[i]!;
    if (reorth) orthogonalize(w, basis);
    b = norm(w);
    if (j === steps - 1) break;
    // Invariant subspace found: the Krylov space is exhausted.
    if (b <= 1e-14 * Math.max(1, Math.abs(a))) break;
    beta.push(b);
    for (let i = 0; i < n; i++) w[i]! /= b;
    qPrev = q;
    q = w;
  }
  return { alpha, beta, basis };
}

/** k extreme eigenpairs of a symmetric A (LinearOperator or dense matrix). */
export function lanczos(A: OperatorInput, k: number, opts: LanczosOptions = {}): LanczosResult {
  const op = operatorOf(A, "lanczos");
  const n = op.shape[0];
  checkCount(k, n, "k", "lanczos");
  const which = opts.which ?? "largest";
  if (which !== "largest" && which !== "smallest") {
    throw new ValueError(`lanczos: which must be 'largest' or 'smallest', got ${String(which)}`);
  }
  const tol = opts.tol ?? 1e-8;
  const maxIter = Math.min(n, opts.maxIter ?? n);
  const apply = applyRaw(op);
  const start = opts.v0 ? Float64Array.from(opts.v0.data) : Float64Array.from(normal(keyOf(opts), [n]).data);
  if (start.length !== n || norm(start) === 0)
    throw new ValueError(`lanczos: v0 must be a nonzero vector of length ${n}`);
  // Incremental Lanczos: check Ritz residuals |β_m s_{m,i}| after each step once m ≥ k.
  const alpha: number[] = [];
  const beta: number[] = [];
  const basis: Float64Array[] = [];
  const residualNorms: number[] = [];
  let q = start;
  const n0 = norm(q);
  for (let i = 0; i < n; i++) q[i]! /= n0;
  let qPrev = new Float64Array(n);
  let b = 0;
  let converged = false;
  let ritz: { values: Float64Array; vectors: Float64Array } = {
    values: new Float64Array(0),
    vectors: new Float64Array(0),
  };
  let m = 0;
  while (m < maxIter) {
    basis.push(q);
    const w = apply(q);
    const a = dot(q, w);
    alpha.push(a);
    for (let i = 0; i < n; i++) w[i]! -= a * q[i]! + b * qPrev[i]!;
    orthogonalize(w, basis);
    b = norm(w);
    m++;
    // Only the last components of the Ritz vectors are needed for the residual estimates |β s_m|.
    ritz = tridiagonalEig(alpha, beta, [m - 1]);
    const exhausted = b <= 1e-13 * Math.max(1, Math.abs(ritz.values[m - 1]!), Math.abs(ritz.values[0]!));
    if (m >= k) {
      let worst = 0;
      const scale = Math.max(Math.abs(ritz.values[0]!), Math.abs(ritz.values[m - 1]!), Number.MIN_VALUE);
      for (let t = 0; t < k; t++) {
        const j = which === "largest" ? m - 1 - t : t;
        worst = Math.max(worst, Math.abs(b * ritz.vectors[j]!));
      }
      residualNorms.push(worst);
      if (worst <= tol * scale || exhausted) {
        converged = true;
        break;
      }
    }
    if (exhausted) break;
    beta.push(b);
    for (let i = 0; i < n; i++) w[i]! /= b;
    qPrev = q;
    q = w;
  }
  ritz = tridiagonalEig(alpha, beta.slice(0, m - 1));
  const kk = Math.min(k, m);
  const values = new Float64Array(kk);
  const vectors = new Float64Array(n * kk);
  for (let t = 0; t < kk; t++) {
    const j = which === "largest" ? m - 1 - t : t;
    values[t] = ritz.values[j]!;
    for (let l = 0; l < m; l++) {
      const s = ritz.vectors[j * m + l]!;
      const ql = basis[l]!;
      for (let i = 0; i < n; i++) vectors[i * kk + t]! += s * ql[i]!;
    }
  }
  return {
    values: tensor(values, [kk]),
    vectors: tensor(vectors, [n, kk]),
    converged: converged && kk === k,
    iterations: m,
    residualNorms,
  };
}
