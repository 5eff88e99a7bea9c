// Locally optimal block preconditioned conjugate gradient for extreme eigenpairs of a symmetric operator
// (Knyazev, SIAM J. Sci. Comput. 23(2), 2001). Rayleigh–Ritz on span[X, W, P]; the trial basis is
// orthonormalised explicitly (twice-iterated Gram–Schmidt with dropping of dependent directions), which
// turns the small generalized eigenproblem into a standard one solved by cyclic Jacobi.
import { asTensor, type Key, normal, type Tensor, type TensorLike, tensor, ValueError } from "@x/tensor";
import { type Preconditioner, preconditionerOf } from "../krylov/as-operator.js";
import { applyRaw, checkCount, dot, keyOf, norm, type OperatorInput, operatorOf } from "./common.js";
import { jacobiEig } from "./jacobi-eig.js";

export interface LobpcgOptions {
  /** Preconditioner ≈ A⁻¹ (operator, matrix or function r ↦ M r). */
  M?: Preconditioner;
  /** Largest (true) or smallest (false, default) eigenvalues. */
  largest?: boolean;
  /** Stop when every ‖A x_i − λ_i x_i‖ ≤ tol·max(1, |λ_i|) (default 1e-8). */
  tol?: number;
  maxIter?: number;
  key?: Key;
  seed?: number;
}

export interface LobpcgResult {
  values: Tensor;
  vectors: Tensor;
  converged: boolean;
  iterations: number;
  /** Max residual norm over the block after each iteration (entry 0: initial block). */
  residualNorms: number[];
}

/** Appends v to basis after orthogonalisation; returns false if v is (numerically) dependent. */
function appendOrtho(basis: Float64Array[], v: Float64Array): boolean {
  const n0 = norm(v);
  if (n0 === 0) return false;
  for (let pass = 0; pass < 2; pass++) {
    for (const q of basis) {
      const c = dot(q, v);
      for (let i = 0; i < v.length; i++) v[i]! -= c * q[i]!;
    }
  }
  const n1 = norm(v);
  if (n1 <= 1e-10 * n0) return false;
  for (let i = 0; i < v.length; i++) v[i]! /= n1;
  basis.push(v);
  return true;
}

/** k extreme eigenpairs of a symmetric A; X0 is an n×k starting block or the block size k. */
export function lobpcg(A: OperatorInput, X0: TensorLike | number, opts: LobpcgOptions = {}): LobpcgResult {
  const fn = "lobpcg";
  const op = operatorOf(A, fn);
  const n = op.shape[0];
  const apply = applyRaw(op);
  const tol = opts.tol ?? 1e-8;
  const maxIter = opts.maxIter ?? 500;
  if (!(tol >= 0)) throw new ValueError(`${fn}: tol must be ≥ 0, got ${tol}`);
  const largest = opts.largest ?? false;
  let init: Float64Array;
  let k: number;
  if (typeof X0 === "number") {
    k = X0;
    checkCount(k, n, "k", fn);
    init = Float64Array.from(normal(keyOf(opts), [n, k]).data);
  } else {
    const t = asTensor(X0, "X0");
    if (t.rank !== 2 || t.shape[0] !== n)
      throw new ValueError(`${fn}: X0 must be an ${n}×k matrix, got [${t.shape.join(", ")}]`);
    k = t.shape[1]!;
    checkCount(k, n, "k (columns of X0)", fn);
    init = Float64Array.from(t.data);
  }
  // Method needs 3k ≤ n for a full trial space; small n is handled by the dependence dropping.
  const prec = preconditionerOf(opts.M, n, fn);
  const cols: Float64Array[] = [];
  for (let j = 0; j < k; j++) {
    const c = new Float64Array(n);
    for (let i = 0; i < n; i++) c[i] = init[i * k + j]!;
    if (!appendOrtho(cols, c)) throw new ValueError(`${fn}: X0 must have linearly independent columns`);
  }
  let X = cols;
  let AX = X.map((x) => apply(x));
  let P: Float64Array[] = [];
  let lambda = new Float64Array(k);
  const residualNorms: number[] = [];
  let converged = false;
  let it = 0;
  const rr = (S: Float64Array[], AS: Float64Array[]) => {
    const m = S.length;
    const G = new Float64Array(m * m);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j <= i; j++) {
        const g = 0.5 * (dot(S[i]!, AS[j]!) + dot(S[j]!, AS[i]!));
        G[i * m + j] = g;
        G[j * m + i] = g;
      }
    }
    const e = jacobiEig(G, m);
    const pick = Array.from({ length: k }, (_, t) => (largest ? m - 1 - t : t));
    return { m, e, pick };
  };
  const combine = (S: Float64Array[], C: Float64Array, m: number, j: number, from = 0) => {
    const out = new Float64Array(n);
    for (let t = from; t < m; t++) {
      const c = C[j * m + t]!;
      const s = S[t]!;
      for (let i = 0; i < n; i++) out[i]! += c * s[i]!;
    }
    return out;
  };
  // Initial Rayleigh–Ritz on X.
  {
    const { m, e, pick } = rr(X, AX);
    const nX = pick.map((j) => combine(X, e.vectors, m, j));
    const nAX = pick.map((j) => combine(AX, e.vectors, m, j));
    X = nX;
    AX = nAX;
    lambda = Float64Array.from(pick.map((j) => e.values[j]!));
  }
  for (;;) {
    const R = X.map((x, j) => {
      const r = Float64Array.from(AX[j]!);
      for (let i = 0; i < n; i++) r[i]! -= lambda[j]! * x[i]!;
      return r;
    });
    const rn = R.map((r) => norm(r));
    residualNorms.push(Math.max(...rn));
    if (rn.every((r, j) => r <= tol * Math.max(1, Math.abs(lambda[j]!)))) {
      converged = true;
      break;
    }
    if (it >= maxIter) break;
    it++;
    // Trial basis [X, W, P]; converged residuals are skipped (soft locking).
    const S: Float64Array[] = X.map((x) => x);
    const AS: Float64Array[] = AX.map((a) => a);
    for (let j = 0; j < k; j++) {
      if (rn[j]! <= tol * Math.max(1, Math.abs(lambda[j]!))) continue;
      const w = prec ? Float64Array.from(prec(R[j]!)) : R[j]!;
      if (appendOrtho(S, w)) AS.push(apply(w));
    }
    for (const p of P) {
      const c = Float64Array.from(p);
      if (appendOrtho(S, c)) AS.push(apply(c));
    }
    if (S.length === k) {
      // Nothing new to add: the block spans an invariant subspace up to rounding.
      converged = true;
      break;
    }
    const { m, e, pick } = rr(S, AS);
    // P = the part of the new X coming from [W, P] (columns k.. of S).
    P = pick.map((j) => combine(S, e.vectors, m, j, k));
    X = pick.map((j) => combine(S, e.vectors, m, j));
    AX = pick.map((j) => combine(AS, e.vectors, m, j));
    lambda = Float64Array.from(pick.map((j) => e.values[j]!));
  }
  const V = new Float64Array(n * k);
  for (let j = 0; j < k; j++) for (let i = 0; i < n; i++) V[i * k + j] = X[j]![i]!;
  return { values: tensor(lambda, [k]), vectors: tensor(V, [n, k]), converged, iterations: it, residualNorms };
}
