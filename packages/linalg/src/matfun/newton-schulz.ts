// Newton–Schulz iterations (multiplication-only, quadratically convergent):
//   inverse:  X_{k+1} = X_k (2I − A X_k), X_0 = Aᵀ/(‖A‖₁‖A‖∞) (Schulz 1933; Pan & Schreiber 1991),
//             so that I − A X_{k+1} = (I − A X_k)²: the residual squares each step.
//   polar:    X_{k+1} = X_k (3I − X_kᵀX_k)/2 from X_0 = A/‖A‖_F (Higham, "Functions of Matrices", §8.3).
//   invRoot:  coupled Newton for A^{-1/p} of an SPD A (Guo & Higham 2006; Higham, "Functions of
//             Matrices", §7.3), as used by Shampoo: X_{k+1} = X_k T_k, M_{k+1} = T_k^p M_k with
//             T_k = ((p+1)I − M_k)/p, X_0 = I/c, M_0 = A/c^p, c^p = ‖A‖_F; M_k → I and X_k → A^{-1/p}.
import { asTensor, eye, matmul, mT, mul, ShapeError, sub, type Tensor, type TensorLike, ValueError } from "@x/tensor";
import { matInfo } from "../dense/common.js";

export interface NewtonSchulzOptions {
  /** 'inverse' (A⁻¹, default), 'polar' (orthogonal polar factor) or 'invRoot' (A^{-1/p}, SPD A). */
  kind?: "inverse" | "polar" | "invRoot";
  /** Root order for 'invRoot' (positive integer, default 2). */
  p?: number;
  /** Iteration cap (default 100). */
  maxIter?: number;
  /** Stop when the residual norm (see result) is ≤ tol (default 1e-12). */
  tol?: number;
  /** Initial iterate (inverse and polar only); overrides the default scaled start. */
  x0?: TensorLike;
  callback?: (info: { iteration: number; residualNorm: number; x: Tensor }) => void;
}

export interface NewtonSchulzResult {
  x: Tensor;
  converged: boolean;
  iterations: number;
  /**
   * Frobenius residual per iterate, starting with X_0: ‖I − A X_k‖ (inverse), ‖I − X_kᵀX_k‖ (polar),
   * ‖I − M_k‖ = ‖I − X_k^p A‖ (invRoot).
   */
  residualNorms: number[];
}

const fro = (t: Tensor): number => {
  let s = 0;
  for (const v of t.data) s += v * v;
  return Math.sqrt(s);
};

function norm1Inf(a: Tensor): [number, number] {
  const [m, n] = [a.shape[0]!, a.shape[1]!];
  const d = a.data;
  const col = new Float64Array(n);
  let rmax = 0;
  for (let i = 0; i < m; i++) {
    let r = 0;
    for (let j = 0; j < n; j++) {
      r += Math.abs(d[i * n + j]!);
      col[j]! += Math.abs(d[i * n + j]!);
    }
    rmax = Math.max(rmax, r);
  }
  return [Math.max(0, ...col), rmax];
}

function matPow(m: Tensor, p: number): Tensor {
  let r = m;
  for (let k = 1; k < p; k++) r = matmul(r, m);
  return r;
}

/** Newton–Schulz iterations for A⁻¹, the polar factor of A, or A^{-1/p} (SPD A) of a matrix a. */
export function newtonSchulz(a: TensorLike, options: NewtonSchulzOptions = {}): NewtonSchulzResult {
  const { kind = "inverse", p = 2, maxIter = 100, tol = 1e-12, callback } = options;
  const A = asTensor(a, "a");
  if (A.rank !== 2) throw new ShapeError(`newtonSchulz: a must be a matrix [m, n], got shape [${A.shape}]`);
  const [m, n] = [A.shape[0]!, A.shape[1]!];
  matInfo(A, "newtonSchulz", "a", kind !== "polar");
  if (kind !== "inverse" && kind !== "polar" && kind !== "invRoot") {
    throw new ValueError(`newtonSchulz: options.kind must be 'inverse', 'polar' or 'invRoot', got ${String(kind)}`);
  }
  if (!(Number.isInteger(maxIter) && maxIter >= 0)) {
    throw new ValueError(`newtonSchulz: options.maxIter must be a non-negative integer, got ${maxIter}`);
  }
  if (!(tol >= 0)) throw new ValueError(`newtonSchulz: options.tol must be ≥ 0, got ${tol}`);
  if (kind === "polar" && m < n) {
    throw new ShapeError(`newtonSchulz: 'polar' needs a tall or square a (m ≥ n), got shape [${A.shape}]`);
  }
  const nrm = fro(A);
  if (nrm === 0) throw new ValueError("newtonSchulz: a is the zero matrix");
  const I = eye(n);
  const residualNorms: number[] = [];
  let x: Tensor;
  let mk: Tensor | null = null;
  let residual: (x: Tensor) => number;
  let step: (x: Tensor) => Tensor;
  if (kind === "inverse") {
    const [n1, nInf] = norm1Inf(A);
    x = options.x0 !== undefined ? asTensor(options.x0, "x0") : mul(mT(A), 1 / (n1 * nInf));
    residual = (x) => fro(sub(I, matmul(A, x)));
    step = (x) => matmul(x, sub(mul(2, I), matmul(A, x)));
  } else if (kind === "polar") {
    x = options.x0 !== undefined ? asTensor(options.x0, "x0") : mul(A, 1 / nrm);
    residual = (x) => fro(sub(I, matmul(mT(x), x)));
    step = (x) => mul(0.5, matmul(x, sub(mul(3, I), matmul(mT(x), x))));
  } else {
    if (!(Number.isInteger(p) && p >= 1))
      throw new ValueError(`newtonSchulz: options.p must be a positive integer, got ${p}`);
    const d = A.data;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < i; j++) {
        if (Math.abs(d[i * n + j]! - d[j * n + i]!) > 1e-10 * nrm) {
          throw new ValueError(
            `newtonSchulz: 'invRoot' needs a symmetric positive definite a; a[${i},${j}] ≠ a[${j},${i}]`,
          );
        }
      }
    }
    // c^p = ‖A‖_F puts the spectrum of M_0 in (0, 1] ⊂ (0, p + 1), where the iteration converges.
    const c = nrm ** (1 / p);
    x = mul(I, 1 / c);
    mk = mul(A, 1 / nrm);
    residual = () => fro(sub(I, mk!));
    step = (x) => {
      const t = mul(sub(mul(p + 1, I), mk!), 1 / p);
      mk = matmul(matPow(t, p), mk!);
      return matmul(x, t);
    };
  }
  let r = residual(x);
  residualNorms.push(r);
  let it = 0;
  while (it < maxIter && r > tol && Number.isFinite(r)) {
    const prev = r;
    x = step(x);
    it++;
    r = residual(x);
    residualNorms.push(r);
    callback?.({ iteration: it, residualNorm: r, x });
    // A growing residual far above 1 means divergence (e.g. a bad x0 or a non-SPD a for invRoot).
    if (!Number.isFinite(r) || r > 1e8) break;
    // Below 1 the residual must shrink; once it does not, rounding has taken over (stagnation).
    if (prev < 1 && r >= prev) break;
  }
  if (!Number.isFinite(r) || r > 1e8) {
    // For invRoot a diverging M_k means eigenvalues outside (0, p + 1]·c^p: a is not SPD.
    const why = kind === "invRoot" ? "a must be symmetric positive definite" : "is a nonsingular and well conditioned?";
    throw new ValueError(`newtonSchulz: the '${kind}' iteration diverged (residual ${r}); ${why}`);
  }
  return { x, converged: r <= tol, iterations: it, residualNorms };
}
