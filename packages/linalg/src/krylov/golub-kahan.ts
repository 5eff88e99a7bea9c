// Pieces shared by LSQR and LSMR (both Golub–Kahan bidiagonalisation methods; Paige & Saunders 1982,
// Fong & Saunders 2011): option checks, the bidiagonalisation start and step, the stop messages indexed by
// istop, and SciPy's stable Givens rotation.
import { type LinearOperator, type TensorLike, ValueError } from "@x/tensor";
import { applyOf, initialGuess, nrm2, type OperatorLike, rapplyOf, setup } from "./as-operator.js";
import type { LsqrOptions } from "./lsqr.js";

export const MESSAGES = [
  "The exact solution is x = x0",
  "Ax - b is small enough, given atol, btol",
  "The least-squares solution is good enough, given atol",
  "The estimate of cond(Abar) has exceeded conlim",
  "Ax - b is small enough for this machine",
  "The least-squares solution is good enough for this machine",
  "Cond(Abar) seems to be too large for this machine",
  "The iteration limit has been reached",
];

// Stable Givens rotation (c, s, r) with c·a + s·b = r, as SciPy's _sym_ortho.
export function symOrtho(a: number, b: number): [number, number, number] {
  if (b === 0) return [Math.sign(a) || 1, 0, Math.abs(a)];
  if (a === 0) return [0, Math.sign(b), Math.abs(b)];
  if (Math.abs(b) > Math.abs(a)) {
    const tau = a / b;
    const s = Math.sign(b) / Math.sqrt(1 + tau * tau);
    return [s * tau, s, b / s];
  }
  const tau = b / a;
  const c = Math.sign(a) / Math.sqrt(1 + tau * tau);
  return [c, c * tau, a / c];
}

/** @internal A checked least-squares problem min ‖A x − b‖² + damp²‖x‖² with its raw applies. */
export interface LeastSquaresProblem {
  op: LinearOperator;
  b: Float64Array;
  m: number;
  n: number;
  damp: number;
  atol: number;
  btol: number;
  conlim: number;
  maxIter: number;
  apply: (x: Float64Array) => Float64Array;
  rapply: (x: Float64Array) => Float64Array;
  /** x₀ (a copy) or zeros. */
  x: Float64Array;
}

/** @internal Checks A (with rmatvec) and b, damp/atol/btol/conlim/maxIter (default `defaultMaxIter`), then x0. */
export function leastSquaresProblem(
  A: OperatorLike,
  b: TensorLike,
  options: LsqrOptions,
  fn: string,
  defaultMaxIter: (m: number, n: number) => number,
): LeastSquaresProblem {
  const s = setup(A, b, fn, { square: false });
  const { m, n } = s;
  if (!s.op.hasRmatvec) throw new ValueError(`${fn}: A must provide rmatvec (Aᵀv)`);
  const damp = options.damp ?? 0;
  const atol = options.atol ?? options.tol ?? 1e-6;
  const btol = options.btol ?? options.tol ?? 1e-6;
  const conlim = options.conlim ?? 1e8;
  const maxIter = options.maxIter ?? defaultMaxIter(m, n);
  for (const [k, v] of [
    ["damp", damp],
    ["atol", atol],
    ["btol", btol],
    ["conlim", conlim],
  ] as const) {
    if (!(v >= 0) || !Number.isFinite(v)) throw new ValueError(`${fn}: ${k} must be a finite number ≥ 0, got ${v}`);
  }
  if (!Number.isInteger(maxIter) || maxIter < 0) {
    throw new ValueError(`${fn}: maxIter must be a non-negative integer, got ${maxIter}`);
  }
  const apply = applyOf(s.op);
  const rapply = rapplyOf(s.op);
  const x = initialGuess(options.x0, n, fn);
  return { op: s.op, b: s.b, m, n, damp, atol, btol, conlim, maxIter, apply, rapply, x };
}

/**
 * @internal The first Golub–Kahan vectors: β u = b − A x₀, α v = Aᵀu (u, v are zero where β or α is 0).
 * `hasX0` skips the product A x₀ when x₀ = 0.
 */
export function bidiagonalStart(
  p: LeastSquaresProblem,
  hasX0: boolean,
): { u: Float64Array; v: Float64Array; alpha: number; beta: number } {
  const { m, n } = p;
  const u = Float64Array.from(p.b);
  if (hasX0) {
    const ax = p.apply(p.x);
    for (let i = 0; i < m; i++) u[i]! -= ax[i]!;
  }
  const beta = nrm2(u);
  let v: Float64Array;
  let alpha = 0;
  if (beta > 0) {
    for (let i = 0; i < m; i++) u[i]! /= beta;
    v = Float64Array.from(p.rapply(u));
    alpha = nrm2(v);
  } else v = new Float64Array(n);
  if (alpha > 0) for (let i = 0; i < n; i++) v[i]! /= alpha;
  return { u, v, alpha, beta };
}

/**
 * @internal One bidiagonalisation step in place: β u ← A v − α u, then (if β > 0) α v ← Aᵀu − β v.
 * Returns the new α and β (α unchanged when β = 0: the recurrence has terminated).
 */
export function bidiagonalStep(
  p: LeastSquaresProblem,
  u: Float64Array,
  v: Float64Array,
  alpha: number,
): { alpha: number; beta: number } {
  const { m, n } = p;
  const av = p.apply(v);
  for (let i = 0; i < m; i++) u[i] = av[i]! - alpha * u[i]!;
  const beta = nrm2(u);
  if (beta > 0) {
    for (let i = 0; i < m; i++) u[i]! /= beta;
    const atu = p.rapply(u);
    for (let i = 0; i < n; i++) v[i] = atu[i]! - beta * v[i]!;
    alpha = nrm2(v);
    if (alpha > 0) for (let i = 0; i < n; i++) v[i]! /= alpha;
  }
  return { alpha, beta };
}

/**
 * @internal Paige & Saunders' stopping rule for iteration `itn`: istop 1–7, or 0 to continue. test1 = ‖r‖/‖b‖,
 * test2 the normal-equations test, test3 = 1/cond(A); as in SciPy the lowest-numbered test that holds wins.
 */
export function stopCode(
  p: LeastSquaresProblem,
  itn: number,
  t: { test1: number; test2: number; test3: number; anorm: number; xnorm: number; bnorm: number },
): number {
  const { test1, test2, test3, anorm, xnorm, bnorm } = t;
  const ctol = p.conlim > 0 ? 1 / p.conlim : 0;
  const t1 = test1 / (1 + (anorm * xnorm) / bnorm);
  const rtol = p.btol + (p.atol * anorm * xnorm) / bnorm;
  let istop = 0;
  if (itn >= p.maxIter) istop = 7;
  if (1 + test3 <= 1) istop = 6;
  if (1 + test2 <= 1) istop = 5;
  if (1 + t1 <= 1) istop = 4;
  if (test3 <= ctol) istop = 3;
  if (test2 <= p.atol) istop = 2;
  if (test1 <= rtol) istop = 1;
  return istop;
}
