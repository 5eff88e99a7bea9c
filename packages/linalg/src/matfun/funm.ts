// Functions of symmetric matrices through the spectral decomposition A = V Λ Vᵀ, f(A) = V f(Λ) Vᵀ
// (Higham, "Functions of Matrices", SIAM 2008, §1.2 and Thm 3.11). Derivatives by the Daleckii–Krein
// formula: d f(A) = V (F ∘ (Vᵀ dA V)) Vᵀ with the Loewner matrix F_ij = (f(λ_i) − f(λ_j))/(λ_i − λ_j),
// F_ii = f'(λ_i), which stays finite at repeated eigenvalues (unlike differentiating eigh's vectors).
import {
  abs,
  add,
  asTensor,
  customJvp,
  div,
  exp,
  expandDims,
  greater,
  log,
  matmul,
  maximum,
  mT,
  mul,
  reciprocal,
  sqrt,
  stopGradient,
  sub,
  type Tensor,
  type TensorLike,
  ValueError,
  where,
} from "@x/tensor";
import { matInfo, sym } from "../dense/common.js";
import { eigh } from "../dense/eigh.js";

export interface FunmOptions {
  /** f′ elementwise: enables the Daleckii–Krein derivative (robust at repeated eigenvalues). */
  fPrime?: (x: Tensor) => Tensor;
}

/** V·diag(d)·Vᵀ over the last two axes (differentiable). */
const reassemble = (v: Tensor, d: Tensor): Tensor => matmul(mul(v, expandDims(d, -2)), mT(v));

/** Loewner (first divided difference) matrix of f at λ [..., n]. */
function loewner(lam: Tensor, f: (x: Tensor) => Tensor, fp: (x: Tensor) => Tensor): Tensor {
  const li = expandDims(lam, -1);
  const lj = expandDims(lam, -2);
  const diff = sub(li, lj);
  const scale = maximum(maximum(abs(li), abs(lj)), 1e-300);
  // Near-equal eigenvalues: the divided difference tends to f′ at the midpoint.
  const far = greater(abs(diff), mul(1e-8, scale));
  const safe = where(far, diff, 1);
  const dd = div(sub(f(li), f(lj)), safe);
  return where(far, dd, fp(mul(0.5, add(li, lj))));
}

function makeFunm(f: (x: Tensor) => Tensor, fp: (x: Tensor) => Tensor): (a: Tensor) => Tensor {
  const prim: (a: Tensor) => Tensor = customJvp(
    (a: Tensor) => {
      const { values, vectors } = eigh(a);
      return reassemble(vectors, f(values));
    },
    ([a], [da]) => {
      const { values, vectors } = eigh(a);
      const S = matmul(mT(vectors), matmul(sym(da), vectors));
      const dF = matmul(vectors, matmul(mul(loewner(values, f, fp), S), mT(vectors)));
      return [prim(a), dF];
    },
  ) as (a: Tensor) => Tensor;
  return prim;
}

/**
 * f(A) = V f(Λ) Vᵀ for a symmetric (batch of) matrix a [..., n, n] and an elementwise tensor function f.
 * Differentiable: through eigh by default (distinct eigenvalues), or by the Daleckii–Krein formula when
 * `fPrime` is given.
 */
export function funm(a: TensorLike, f: (x: Tensor) => Tensor, options: FunmOptions = {}): Tensor {
  const A = asTensor(a, "a");
  matInfo(A, "funm", "a", true);
  if (options.fPrime) {
    // eigh validates symmetry with a typed error before the primitive runs.
    eigh(stopGradient(A));
    return makeFunm(f, options.fPrime)(A);
  }
  const { values, vectors } = eigh(A);
  return reassemble(vectors, f(values));
}

/** Smallest eigenvalue over the batch, with a ValueError naming fn when it is below `min`. */
function checkSpectrum(A: Tensor, fn: string, strict: boolean): void {
  const { n } = matInfo(A, fn, "a", true);
  const w = eigh(stopGradient(A)).values.data;
  let big = 0;
  for (let i = 0; i < w.length; i++) big = Math.max(big, Math.abs(w[i]!));
  const tol = 8 * n * 2 ** -52 * big;
  for (let i = 0; i < w.length; i++) {
    const bad = strict ? !(w[i]! > tol) : w[i]! < -tol;
    if (bad) {
      throw new ValueError(
        `${fn}: a must be symmetric positive ${strict ? "definite" : "semidefinite"}, found eigenvalue ${w[i]}`,
      );
    }
  }
}

const sqrtF = makeFunm(
  (x) => sqrt(maximum(x, 0)),
  (x) => mul(0.5, reciprocal(sqrt(x))),
);
const logF = makeFunm(
  (x) => log(x),
  (x) => reciprocal(x),
);

/** Principal square root of a symmetric positive (semi)definite matrix [..., n, n]; differentiable (SPD). */
export function sqrtm(a: TensorLike): Tensor {
  const A = asTensor(a, "a");
  checkSpectrum(A, "sqrtm", false);
  return sqrtF(A);
}

/** Principal logarithm of a symmetric positive definite matrix [..., n, n]; differentiable. */
export function logm(a: TensorLike): Tensor {
  const A = asTensor(a, "a");
  checkSpectrum(A, "logm", true);
  return logF(A);
}

/** A^p for a symmetric positive definite matrix and real p (fractional_matrix_power); differentiable. */
export function powm(a: TensorLike, p: number): Tensor {
  if (!Number.isFinite(p)) throw new ValueError(`powm: p must be finite, got ${p}`);
  const A = asTensor(a, "a");
  checkSpectrum(A, "powm", true);
  // x^p = exp(p log x) keeps derivatives of any order defined for x > 0.
  return makeFunm(
    (x) => exp(mul(p, log(x))),
    (x) => mul(p, exp(mul(p - 1, log(x)))),
  )(A);
}
