// LU factorization with partial (row) pivoting, P·A = L·U: Golub & Van Loan, "Matrix Computations"
// (4th ed., 2013), Alg. 3.4.1; pivots follow LAPACK getrf (piv[k] = row swapped with row k, 0-based).
import { asTensor, type Tensor, type TensorLike, ValueError } from "@x/tensor";
import { SingularMatrixError } from "../errors.js";
import { assertFiniteF64 } from "../internal/finite.js";
import { assertNotTraced, matInfo, out, rhsInfo } from "./common.js";
import { getrfBlocked } from "./getrf-blocked.js";
import { getrfPanel } from "./getrf-panel.js";
import { trsm } from "./solve-triangular.js";

/** From this order on the blocked factorisation (matmul trailing updates) is faster. */
const BLOCK_MIN = 128;

/**
 * In-place right-looking LU of the m×n row-major block a[off..]. Writes pivots to piv[pOff..pOff+min(m,n)).
 * Returns the permutation sign and info = index of the first exactly-zero pivot (−1 if none); like
 * LAPACK the factorization completes even then (the zero column is left unscaled).
 */
export function getrf(
  a: Float64Array,
  off: number,
  m: number,
  n: number,
  piv: Int32Array,
  pOff: number,
): { sign: number; info: number } {
  return Math.min(m, n) >= BLOCK_MIN ? getrfBlocked(a, off, m, n, piv, pOff) : getrfUnblocked(a, off, m, n, piv, pOff);
}

/** The unblocked kernel of getrf (same contract), one rank-1 update per column. */
export function getrfUnblocked(
  a: Float64Array,
  off: number,
  m: number,
  n: number,
  piv: Int32Array,
  pOff: number,
): { sign: number; info: number } {
  return getrfPanel(a, off, m, n, 0, Math.min(m, n), n, piv, pOff);
}

/** Solves A X = B in place in b[bOff..] (n×k row-major) from the packed LU of a square A and its pivots. */
export function getrs(
  lu: Float64Array,
  off: number,
  n: number,
  piv: Int32Array | Float64Array,
  pOff: number,
  b: Float64Array,
  bOff: number,
  k: number,
): void {
  for (let i = 0; i < n; i++) {
    const p = piv[pOff + i]!;
    if (p !== i) {
      for (let j = 0; j < k; j++) {
        const t = b[bOff + i * k + j]!;
        b[bOff + i * k + j] = b[bOff + p * k + j]!;
        b[bOff + p * k + j] = t;
      }
    }
  }
  // Forward substitution with the unit lower factor, then back substitution with U (blocked for many columns).
  trsm(lu, off, n, b, bOff, k, true, false, true);
  trsm(lu, off, n, b, bOff, k, false, false, false);
}

/** Factorizes every matrix of a batch; throws SingularMatrixError on an exactly zero pivot if asked. */
export function luBatch(
  a: Tensor,
  fn: string,
  arg: string,
  throwSingular: boolean,
): { lu: Float64Array; piv: Int32Array; sign: Float64Array; info: Int32Array; m: number; n: number; batch: number[] } {
  const { batch, count, m, n } = matInfo(a, fn, arg, false, false);
  assertFiniteF64(a.data, `${fn}: ${arg}`);
  const lu = a.data.slice();
  const k = Math.min(m, n);
  const piv = new Int32Array(count * k);
  const sign = new Float64Array(count);
  const info = new Int32Array(count);
  for (let b = 0; b < count; b++) {
    const r = getrf(lu, b * m * n, m, n, piv, b * k);
    sign[b] = r.sign;
    info[b] = r.info;
    if (throwSingular && r.info >= 0) throw new SingularMatrixError(arg, r.info, b);
  }
  return { lu, piv, sign, info, m, n, batch };
}

export interface LuResult {
  /** Packed factors [..., m, n]: U on and above the diagonal, the multipliers of L below (LAPACK getrf). */
  lu: Tensor;
  /** Pivots [..., min(m, n)], 0-based: row k was swapped with row piv[k] (scipy.linalg.lu_factor). */
  piv: Tensor;
  /** Permutation matrix [..., m, m] with a = p·l·u (scipy.linalg.lu). */
  p: Tensor;
  /** Unit lower-trapezoidal factor [..., m, min(m, n)]. */
  l: Tensor;
  /** Upper-trapezoidal factor [..., min(m, n), n]. */
  u: Tensor;
  /** Sign of the row permutation [...] (±1): det(a) = sign·Π diag(u). */
  sign: Tensor;
}

/**
 * LU with partial pivoting of a (batch of) m×n matrices: a = p·l·u. Does not throw on singular
 * input (U then has a zero on its diagonal), like scipy.linalg.lu. Not differentiable.
 */
export function lu(a: TensorLike): LuResult {
  const A = asTensor(a, "a");
  assertNotTraced(A, "lu", "a", "use solve, inv, det or slogdet for derivatives");
  const f = luBatch(A, "lu", "a", false);
  const { m, n, batch } = f;
  const k = Math.min(m, n);
  const count = f.sign.length;
  const P = new Float64Array(count * m * m);
  const L = new Float64Array(count * m * k);
  const U = new Float64Array(count * k * n);
  const perm = new Int32Array(m);
  for (let b = 0; b < count; b++) {
    const o = b * m * n;
    for (let i = 0; i < m; i++) perm[i] = i;
    for (let i = 0; i < k; i++) {
      const p = f.piv[b * k + i]!;
      const t = perm[i]!;
      perm[i] = perm[p]!;
      perm[p] = t;
    }
    // (P·A)[i] = A[perm[i]], so a = Pᵀ·L·U and p[perm[i], i] = 1.
    for (let i = 0; i < m; i++) P[b * m * m + perm[i]! * m + i] = 1;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < k; j++) {
        L[b * m * k + i * k + j] = j < i ? f.lu[o + i * n + j]! : j === i ? 1 : 0;
      }
    }
    for (let i = 0; i < k; i++) for (let j = i; j < n; j++) U[b * k * n + i * n + j] = f.lu[o + i * n + j]!;
  }
  return {
    lu: out(f.lu, [...batch, m, n]),
    piv: out(Float64Array.from(f.piv), [...batch, k]),
    p: out(P, [...batch, m, m]),
    l: out(L, [...batch, m, k]),
    u: out(U, [...batch, k, n]),
    sign: out(f.sign, batch),
  };
}

/**
 * Solves a·x = b from `lu(a)` (or any { lu, piv } in getrf layout) for square a: b is [..., n] or [..., n, k].
 * Throws SingularMatrixError when U has an exactly zero pivot. Not differentiable (use `solve`).
 */
export function luSolve(factors: { lu: TensorLike; piv: TensorLike }, b: TensorLike): Tensor {
  const LU = asTensor(factors.lu, "factors.lu");
  const piv = asTensor(factors.piv, "factors.piv");
  const B = asTensor(b, "b");
  for (const [t, name] of [
    [LU, "factors.lu"],
    [piv, "factors.piv"],
    [B, "b"],
  ] as const) {
    assertNotTraced(t, "luSolve", name, "use solve for derivatives");
  }
  const info = matInfo(LU, "luSolve", "factors.lu", true);
  const { n, count } = info;
  if (piv.size !== count * n) {
    throw new ValueError(`luSolve: factors.piv must have shape [${[...info.batch, n]}], got [${piv.shape}]`);
  }
  const pv = piv.data;
  for (let i = 0; i < pv.length; i++) {
    const p = pv[i]!;
    if (!Number.isInteger(p) || p < i % n || p >= n) {
      throw new ValueError(`luSolve: factors.piv[${i}] = ${p} is not a valid getrf pivot for n = ${n}`);
    }
  }
  const { k } = rhsInfo(B, info, "luSolve");
  const lud = LU.data;
  for (let bi = 0; bi < count; bi++) {
    for (let i = 0; i < n; i++)
      if (lud[bi * n * n + i * n + i] === 0) throw new SingularMatrixError("factors.lu", i, bi);
  }
  const x = Float64Array.from(B.data);
  for (let bi = 0; bi < count; bi++) getrs(lud, bi * n * n, n, pv, bi * n, x, bi * n * k, k);
  return out(x, B.shape);
}
