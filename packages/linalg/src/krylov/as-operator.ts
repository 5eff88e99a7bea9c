// Shared plumbing for the Krylov solvers and preconditioners: one normalisation of "an operator"
// (LinearOperator, dense matrix or CsrMatrix) and of "a preconditioner" (operator or function), argument
// checks with typed errors, and the small Float64Array BLAS-1 kernels the solvers' inner loops use.
import {
  assertFinite,
  asTensor,
  fromData,
  LinearOperator,
  ShapeError,
  Tensor,
  type TensorLike,
  tensor,
  ValueError,
} from "@x/tensor";
import { CsrMatrix } from "./csr.js";

/** Anything the solvers accept as the matrix A. */
export type OperatorLike = LinearOperator | CsrMatrix | TensorLike;

/** A preconditioner: an operator approximating A⁻¹, or a function r ↦ M r. */
export type Preconditioner = OperatorLike | ((r: Tensor) => Tensor);

/** What callbacks receive after each iteration. */
export interface IterationInfo {
  iteration: number;
  /** The residual norm the solver tracks (see each solver's docs). */
  residualNorm: number;
  /** The current iterate (a fresh tensor). */
  x: Tensor;
}

export interface IterativeOptions {
  /** Relative tolerance: stop when ‖r‖ ≤ max(tol·‖b‖, atol). Default 1e-5 (SciPy's default). */
  tol?: number;
  /** Absolute tolerance on ‖r‖. Default 0. */
  atol?: number;
  /** Iteration cap. Default depends on the solver (10·n for CG-type methods). */
  maxIter?: number;
  /** Initial guess (default 0). */
  x0?: TensorLike;
  callback?: (info: IterationInfo) => void;
}

export interface IterativeResult {
  x: Tensor;
  converged: boolean;
  iterations: number;
  /** Residual-norm history: entry 0 is the initial residual, entry k after iteration k. */
  residualNorms: number[];
  /** Set when the solver stopped early for a reason other than convergence or the iteration cap. */
  message?: string;
}

/**
 * Raw Float64Array applies of the operators built here from a CsrMatrix or dense matrix, so that the solvers'
 * inner loops skip the tensor round trip (a LinearOperator passed in by the user still goes through matvec).
 */
const RAW = new WeakMap<
  LinearOperator,
  {
    apply: (x: Float64Array) => Float64Array;
    rapply: (x: Float64Array) => Float64Array;
    applyInto?: (x: Float64Array, y: Float64Array) => Float64Array;
  }
>();

/** Normalises an operator-like input to a LinearOperator (dense matrices are copied into a fast matvec). */
export function asOperator(
  a: OperatorLike,
  argName = "A",
  { symmetric }: { symmetric?: boolean } = {},
): LinearOperator {
  if (a instanceof LinearOperator) return a;
  // The symmetric hint is dropped for non-square inputs so that callers can report the shape error themselves.
  if (a instanceof CsrMatrix) {
    const [m, n] = a.shape;
    const op = a.toOperator({ symmetric: (symmetric ?? false) && m === n });
    RAW.set(op, {
      apply: (x) => a.matvecInto(x, new Float64Array(m)),
      rapply: (x) => a.rmatvecInto(x, new Float64Array(n)),
      applyInto: (x, y) => a.matvecInto(x, y),
    });
    return op;
  }
  const t = asTensor(a, argName);
  if (t.rank !== 2) throw new ShapeError(`${argName} must be a matrix or operator, got shape [${t.shape.join(", ")}]`);
  const d = t.data;
  assertFinite(d, argName);
  const m = t.shape[0]!;
  const n = t.shape[1]!;
  const apply = (x: Float64Array) => {
    const y = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      let s = 0;
      const o = i * n;
      for (let j = 0; j < n; j++) s += d[o + j]! * x[j]!;
      y[i] = s;
    }
    return y;
  };
  const rapply = (x: Float64Array) => {
    const y = new Float64Array(n);
    for (let i = 0; i < m; i++) {
      const xi = x[i]!;
      const o = i * n;
      for (let j = 0; j < n; j++) y[j]! += d[o + j]! * xi;
    }
    return y;
  };
  const op = new LinearOperator([m, n], (v) => fromData(apply(v.data), [m]), {
    rmatvec: (v) => fromData(rapply(v.data), [n]),
    toDense: () => t,
    symmetric: (symmetric ?? false) && m === n,
  });
  RAW.set(op, { apply, rapply });
  return op;
}

/** @internal A → raw apply x ↦ A x (the operator's tensor matvec unless built here; the result buffer is read-only). */
export function applyOf(op: LinearOperator): (x: Float64Array) => Float64Array {
  const raw = RAW.get(op);
  if (raw) return raw.apply;
  const n = op.shape[1];
  // fromData shares x with the operator: copy the result back out if the operator returned its input.
  return (x) => {
    const y = op.matvec(fromData(x, [n])).data;
    return y === x ? Float64Array.from(y) : y;
  };
}

/** @internal A → y ← A x into a caller-owned buffer y (no allocation for CsrMatrix inputs). */
export function applyIntoOf(op: LinearOperator): (x: Float64Array, y: Float64Array) => Float64Array {
  const into = RAW.get(op)?.applyInto;
  if (into) return into;
  const apply = applyOf(op);
  return (x, y) => {
    y.set(apply(x));
    return y;
  };
}

/** @internal x ↦ Aᵀ x. */
export function rapplyOf(op: LinearOperator): (x: Float64Array) => Float64Array {
  const raw = RAW.get(op);
  if (raw) return raw.rapply;
  const m = op.shape[0];
  return (x) => {
    const y = op.rmatvec(fromData(x, [m])).data;
    return y === x ? Float64Array.from(y) : y;
  };
}

/** @internal Normalises a preconditioner to a raw apply of size n (undefined → identity). */
export function preconditionerOf(
  M: Preconditioner | undefined,
  n: number,
  fn: string,
): ((r: Float64Array) => Float64Array) | undefined {
  if (M === undefined) return undefined;
  if (typeof M === "function") {
    return (r) => {
      const z = M(tensor(r, [n]));
      if (!(z instanceof Tensor) || z.size !== n) {
        throw new ShapeError(`${fn}: preconditioner M must return a vector of length ${n}`);
      }
      return z.data;
    };
  }
  const op = asOperator(M, `${fn}: M`);
  if (op.shape[0] !== n || op.shape[1] !== n) {
    throw new ShapeError(`${fn}: M has shape [${op.shape.join(", ")}], expected [${n}, ${n}]`);
  }
  return applyOf(op);
}

/** @internal Checks A (square when asked) and b, returns the operator, b's data and n. */
export function setup(
  A: OperatorLike,
  b: TensorLike,
  fn: string,
  { square = true, symmetric }: { square?: boolean; symmetric?: boolean } = {},
): { op: LinearOperator; b: Float64Array; m: number; n: number } {
  const op = asOperator(A, `${fn}: A`, symmetric === undefined ? {} : { symmetric });
  const [m, n] = op.shape;
  if (square && m !== n) throw new ShapeError(`${fn}: A must be square, got shape [${m}, ${n}]`);
  const bt = asTensor(b, "b");
  if (bt.rank !== 1 || bt.size !== m) {
    throw new ShapeError(
      `${fn}: b must be a vector of length ${m} to match A [${m}, ${n}], got [${bt.shape.join(", ")}]`,
    );
  }
  assertFinite(bt.data, `${fn}: b`);
  return { op, b: bt.data, m, n };
}

/** @internal Validates x0 (copied) or returns zeros. */
export function initialGuess(x0: TensorLike | undefined, n: number, fn: string): Float64Array {
  if (x0 === undefined) return new Float64Array(n);
  const t = asTensor(x0, "x0");
  if (t.rank !== 1 || t.size !== n) {
    throw new ShapeError(`${fn}: x0 must be a vector of length ${n}, got [${t.shape.join(", ")}]`);
  }
  assertFinite(t.data, `${fn}: x0`);
  return Float64Array.from(t.data);
}

/** @internal Validates tol/atol/maxIter. */
export function tolerances(
  opts: { tol?: number | undefined; atol?: number | undefined; maxIter?: number | undefined },
  defaultMaxIter: number,
  fn: string,
): { tol: number; atol: number; maxIter: number } {
  const tol = opts.tol ?? 1e-5;
  const atol = opts.atol ?? 0;
  const maxIter = opts.maxIter ?? defaultMaxIter;
  if (!(tol >= 0) || !Number.isFinite(tol)) throw new ValueError(`${fn}: tol must be a finite number ≥ 0, got ${tol}`);
  if (!(atol >= 0) || !Number.isFinite(atol)) {
    throw new ValueError(`${fn}: atol must be a finite number ≥ 0, got ${atol}`);
  }
  if (!Number.isInteger(maxIter) || maxIter < 0) {
    throw new ValueError(`${fn}: maxIter must be a non-negative integer, got ${maxIter}`);
  }
  return { tol, atol, maxIter };
}

/** @internal Wraps the raw result. */
export function result(
  x: Float64Array,
  converged: boolean,
  iterations: number,
  residualNorms: number[],
  message?: string,
): IterativeResult {
  const out: IterativeResult = { x: tensor(x, [x.length]), converged, iterations, residualNorms };
  if (message !== undefined) out.message = message;
  return out;
}

export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

export function nrm2(a: Float64Array): number {
  // Scaled to avoid overflow/underflow for extreme vectors (as BLAS dnrm2).
  let scale = 0;
  for (let i = 0; i < a.length; i++) scale = Math.max(scale, Math.abs(a[i]!));
  if (scale === 0 || !Number.isFinite(scale)) return scale;
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const v = a[i]! / scale;
    s += v * v;
  }
  return scale * Math.sqrt(s);
}

/** y += α x */
export function axpy(alpha: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i]! += alpha * x[i]!;
}

/** r = b − A x */
export function residual(apply: (x: Float64Array) => Float64Array, x: Float64Array, b: Float64Array): Float64Array {
  const ax = apply(x);
  const r = new Float64Array(b.length);
  for (let i = 0; i < b.length; i++) r[i] = b[i]! - ax[i]!;
  return r;
}

/** @internal Calls the user's callback with a fresh tensor copy of x. */
export function report(cb: IterativeOptions["callback"], iteration: number, residualNorm: number, x: Float64Array) {
  if (cb) cb({ iteration, residualNorm, x: tensor(x, [x.length]) });
}

/** @internal The explicit sparse matrix behind an operator-like (dense or LinearOperator inputs are densified once). */
export function asCsr(A: OperatorLike, fn: string): CsrMatrix {
  if (A instanceof CsrMatrix) return A;
  const dense = A instanceof LinearOperator ? A.toDense() : asTensor(A, `${fn}: A`);
  if (dense.rank !== 2) throw new ShapeError(`${fn}: A must be a matrix, got shape [${dense.shape.join(", ")}]`);
  assertFinite(dense.data, `${fn}: A`);
  return CsrMatrix.fromDense(dense);
}
