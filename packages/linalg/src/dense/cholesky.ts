// Cholesky factorization a = l·lᵀ (row-oriented Cholesky–Crout: Golub & Van Loan, "Matrix Computations",
// §4.2), with optional diagonal jitter retries. Like JAX, the input is symmetrized, (a + aᵀ)/2, so the
// derivative is the symmetric one. Derivative (Murray, "Differentiation of the Cholesky decomposition",
// 2016, eq. 10): dl = l·Φ(l⁻¹·sym(da)·l⁻ᵀ), Φ = lower triangle with the diagonal halved — via customJvp
// whose rule calls cholesky and the differentiable triangular solve, so it nests.
import {
  add,
  asTensor,
  customJvp,
  expandDims,
  eye,
  fromData,
  matmul,
  mT,
  mul,
  squeeze,
  type Tensor,
  type TensorLike,
  ValueError,
} from "@x/tensor";
import { NotPositiveDefiniteError } from "../errors.js";
import { blockGemm, workArea } from "../internal/block-gemm.js";
import { assertFiniteF64 } from "../internal/finite.js";
import { isConcrete, mask, matInfo, rhsInfo, sym } from "./common.js";
import { triSolver } from "./solve-triangular.js";

/** Outcome of potrf: the first non-positive pivot (−1 if none) and its value; `finite` is false when an entry of a
 * read on the way was ±∞ or NaN (meaningful after a success; a failure may stop before reading all of a). */
export interface PotrfResult {
  pivot: number;
  value: number;
  finite: boolean;
}

/**
 * Lower Cholesky factor of sym(a[off..]) + jitter·I (n×n row-major) into l[off..] (zeros above the
 * diagonal). Returns −1 on success or the index of the first non-positive pivot, with its value.
 * Large matrices use the recursive variant (potrfBlocked): panel solve and trailing update run as in-place
 * GEMMs (blockGemm) on one work copy of the matrix in WebAssembly memory.
 */
export function potrf(a: Float64Array, l: Float64Array, off: number, n: number, jitter = 0): PotrfResult {
  if (n < BLOCK_MIN) return potrfUnblocked(a, l, off, n, jitter);
  return potrfBlocked(a, l, off, n, jitter);
}

/** Order at or below which the recursion uses scalar Cholesky–Crout and one-GEMM triangular solves. */
const LEAF = 48;
const BLOCK_MIN = 160;

/** Unblocked reference variant of potrf (row-oriented Cholesky–Crout). */
export function potrfUnblocked(a: Float64Array, l: Float64Array, off: number, n: number, jitter: number): PotrfResult {
  // Σ v·0 over the entries v of sym(a) is NaN exactly when one of them (so one of a's) is not finite.
  let chk = 0;
  for (let j = 0; j < n; j++) {
    const rj = off + j * n;
    for (let i = j; i < n; i++) {
      const ri = off + i * n;
      let s = 0.5 * (a[ri + j]! + a[rj + i]!) + (i === j ? jitter : 0);
      chk += s * 0;
      for (let k = 0; k < j; k++) s -= l[ri + k]! * l[rj + k]!;
      if (i === j) {
        // !(s > 0) also catches NaN.
        if (!(s > 0)) return { pivot: j, value: s, finite: chk === 0 };
        l[rj + j] = Math.sqrt(s);
      } else {
        l[ri + j] = s / l[rj + j]!;
      }
    }
  }
  return { pivot: -1, value: 0, finite: chk === 0 };
}

/**
 * Recursive Cholesky (see potrfRecursive) of sym(a) + jitter·I into l, upper triangle zeroed; `leaf` and `wasm`
 * (false: work in a JS array through gemmF64, the reference path) for tests.
 */
export function potrfBlocked(
  a: Float64Array,
  l: Float64Array,
  off: number,
  n: number,
  jitter: number,
  leaf = LEAF,
  wasm = true,
): PotrfResult {
  // One work array holds the matrix (its lower triangle sym(a) + jitter·I, overwritten by the factor; the strict
  // upper triangle is scratch that leaf updates of diagonal blocks spill into), then the leaves' copy of a panel
  // and their small inverse, so every update is a blockGemm on one array — in the wasm module's memory if it can.
  const ws: Workspace = { tmp: n * n, winv: n * n + n * leaf, leaf };
  const size = ws.winv + leaf * leaf;
  const w = (wasm ? workArea(size) : null) ?? new Float64Array(size);
  // The copy goes in 32×32 tiles so the transposed reads of a stay in cache. It reads every entry of a once, so it
  // also tells whether all are finite (Σ v·0 is NaN exactly when some v is not), sparing the caller a separate pass.
  let chk = 0;
  for (let i0 = 0; i0 < n; i0 += 32) {
    const i1 = Math.min(n, i0 + 32);
    for (let j0 = 0; j0 <= i0; j0 += 32) {
      const j1 = Math.min(n, j0 + 32);
      for (let i = i0; i < i1; i++) {
        const ri = off + i * n;
        const wi = i * n;
        const je = Math.min(j1, i);
        for (let j = j0; j < je; j++) {
          const v = 0.5 * (a[ri + j]! + a[off + j * n + i]!);
          chk += v * 0;
          w[wi + j] = v;
        }
      }
    }
    for (let i = i0; i < i1; i++) {
      const v = a[off + i * n + i]! + jitter;
      chk += v * 0;
      w[i * n + i] = v;
    }
  }
  const r = potrfRecursive(w, 0, n, n, ws);
  for (let i = 0; i < n; i++) {
    const ri = off + i * n;
    l.set(w.subarray(i * n, i * n + i + 1), ri);
    l.fill(0, ri + i + 1, ri + n);
  }
  return { pivot: r.pivot, value: r.value, finite: chk === 0 };
}

/** Element offsets, in the work array, of a leaf's copy of its panel (n·leaf) and of its inverse (leaf²). */
interface Workspace {
  tmp: number;
  winv: number;
  leaf: number;
}

/**
 * Recursive Cholesky of the order-n lower block at l[o..] (row stride ld) in place (Gustavson, "Recursion leads to
 * automatic variable blocking for dense linear-algebra algorithms", IBM J. Res. Dev. 41(6), 1997; Toledo 1997):
 * L11 = chol(A11); L21 = A21·L11⁻ᵀ; A22 −= L21·L21ᵀ; L22 = chol(A22). Halving makes every update — the panel
 * solve included — a few large in-place GEMMs, with no block size to tune except the leaf.
 */
function potrfRecursive(
  l: Float64Array,
  o: number,
  ld: number,
  n: number,
  ws: Workspace,
): { pivot: number; value: number } {
  if (n <= ws.leaf) return potrfLeaf(l, o, ld, n);
  const n1 = split(n);
  const n2 = n - n1;
  const r1 = potrfRecursive(l, o, ld, n1, ws);
  if (r1.pivot >= 0) return r1;
  trsmRightLowerT(l, o, ld, n1, o + n1 * ld, n2, ws);
  syrkLower(l, o + n1 * ld + n1, ld, n2, o + n1 * ld, n1, ws.leaf);
  const r2 = potrfRecursive(l, o + n1 * ld + n1, ld, n2, ws);
  return r2.pivot >= 0 ? { pivot: r2.pivot + n1, value: r2.value } : r2;
}

/** Row-oriented Cholesky–Crout of a small block in place (lower triangle read and written). */
function potrfLeaf(l: Float64Array, o: number, ld: number, n: number): { pivot: number; value: number } {
  for (let j = 0; j < n; j++) {
    const rj = o + j * ld;
    for (let i = j; i < n; i++) {
      const ri = o + i * ld;
      const s = l[ri + j]! - dot(l, ri, rj, j);
      if (i === j) {
        if (!(s > 0)) return { pivot: j, value: s };
        l[rj + j] = Math.sqrt(s);
      } else {
        l[ri + j] = s / l[rj + j]!;
      }
    }
  }
  return { pivot: -1, value: 0 };
}

/** Σ_k x[a + k]·x[b + k], k < len, in four partial sums so the additions overlap instead of waiting on each other. */
function dot(x: Float64Array, a: number, b: number, len: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let k = 0;
  for (; k + 4 <= len; k += 4) {
    s0 += x[a + k]! * x[b + k]!;
    s1 += x[a + k + 1]! * x[b + k + 1]!;
    s2 += x[a + k + 2]! * x[b + k + 2]!;
    s3 += x[a + k + 3]! * x[b + k + 3]!;
  }
  for (; k < len; k++) s0 += x[a + k]! * x[b + k]!;
  return s0 + s1 + (s2 + s3);
}

/**
 * X·Lᵀ = B in place for X, B m×n at l[xo..] and L n×n lower at l[lo..] (same row stride ld), recursively: X1 from
 * L11, then B2 −= X1·L21ᵀ (GEMM), then X2 from L22. Leaves multiply by the explicit (L⁻¹)ᵀ of the small block
 * (one GEMM; the inverse costs n³/6 scalar flops against the leaf's m·n² in SIMD).
 */
function trsmRightLowerT(
  l: Float64Array,
  lo: number,
  ld: number,
  n: number,
  xo: number,
  m: number,
  ws: Workspace,
): void {
  if (m === 0) return;
  if (n > ws.leaf) {
    const n1 = split(n);
    const n2 = n - n1;
    trsmRightLowerT(l, lo, ld, n1, xo, m, ws);
    blockGemm(l, m, n1, n2, {
      transB: true,
      alpha: -1,
      aOffset: xo,
      lda: ld,
      bOffset: lo + n1 * ld,
      ldb: ld,
      outOffset: xo + n1,
      ldOut: ld,
    });
    trsmRightLowerT(l, lo + n1 * ld + n1, ld, n2, xo + n1, m, ws);
    return;
  }
  // winv (n×n, upper) = (L⁻¹)ᵀ, row j holding column j of L⁻¹.
  const { winv, tmp } = ws;
  for (let j = 0; j < n; j++) {
    const wj = winv + j * n;
    l[wj + j] = 1 / l[lo + j * ld + j]!;
    for (let i = j + 1; i < n; i++) {
      const ri = lo + i * ld;
      l[wj + i] = -dot(l, ri + j, wj + j, i - j) / l[ri + i]!;
    }
    for (let i = 0; i < j; i++) l[wj + i] = 0;
  }
  // B moves to tmp (its block is then zeroed) so the product can accumulate into it in place.
  for (let i = 0; i < m; i++) {
    const ri = xo + i * ld;
    l.copyWithin(tmp + i * n, ri, ri + n);
    l.fill(0, ri, ri + n);
  }
  blockGemm(l, m, n, n, { aOffset: tmp, lda: n, bOffset: winv, ldb: n, outOffset: xo, ldOut: ld });
}

/**
 * C −= A·Aᵀ on the lower triangle of the order-n block C at l[co..], A n×k at l[ao..] (row stride ld), recursively:
 * C11 and C22 by recursion, C21 −= A2·A1ᵀ by GEMM. Leaves update their whole square (the strict upper triangle of
 * a diagonal block is scratch), wasting leaf/n of the flops instead of the half a plain GEMM would.
 */
function syrkLower(l: Float64Array, co: number, ld: number, n: number, ao: number, k: number, leaf: number): void {
  if (n === 0) return;
  const opts = { transB: true, alpha: -1, lda: ld, ldb: ld, ldOut: ld };
  if (n <= 2 * leaf) {
    blockGemm(l, n, k, n, { ...opts, aOffset: ao, bOffset: ao, outOffset: co });
    return;
  }
  const n1 = split(n);
  const n2 = n - n1;
  syrkLower(l, co, ld, n1, ao, k, leaf);
  blockGemm(l, n2, k, n1, { ...opts, aOffset: ao + n1 * ld, bOffset: ao, outOffset: co + n1 * ld });
  syrkLower(l, co + n1 * ld + n1, ld, n2, ao + n1 * ld, k, leaf);
}

/** Where to halve an order-n (n ≥ 2) problem: at a multiple of 4 (the GEMM tile) when possible, so most blocks are whole tiles. */
function split(n: number): number {
  const r = ((n >> 1) + 3) & ~3;
  return r < n ? r : n >> 1;
}

function factorAll(a: Tensor, jitter: number, arg: string, throwOnFail: boolean): Float64Array | null {
  const n = a.shape[a.rank - 1]!;
  const count = a.size / Math.max(1, n * n);
  const ad = a.data;
  const l = new Float64Array(ad.length);
  for (let b = 0; b < count; b++) {
    const r = potrf(ad, l, b * n * n, n, jitter);
    // potrf reads all of a when it succeeds; after a failure the whole batch is checked (a NaN fails a pivot).
    if (r.pivot >= 0 || !r.finite) assertFiniteF64(ad, `cholesky: ${arg}`);
    if (r.pivot >= 0) {
      if (throwOnFail) throw new NotPositiveDefiniteError(arg, r.pivot, r.value, b);
      return null;
    }
  }
  return l;
}

/** Differentiable lower Cholesky factor of sym(a), without validation or jitter. */
export const choleskyMat: (a: Tensor) => Tensor = customJvp(
  (a: Tensor) => fromData(factorAll(a, 0, "a", true)!, a.shape),
  ([a], [da]) => {
    const l = choleskyMat(a);
    const tri = triSolver(true, false, false);
    // l⁻¹·sym(da)·l⁻ᵀ = l⁻¹·(l⁻¹·sym(da))ᵀ since sym(da) is symmetric.
    const x = tri(l, mT(tri(l, sym(da))));
    return [l, matmul(l, mul(x, mask(l.shape[l.rank - 1]!, "phi")))];
  },
) as (a: Tensor) => Tensor;

export interface CholeskyOptions {
  /** Return the lower factor l (a = l·lᵀ, default) or the upper factor u = lᵀ (a = uᵀ·u). */
  lower?: boolean;
  /**
   * Diagonal regularization: a number adds that multiple of I; 'auto' first tries none, then on
   * failure 1e-10·mean(diag a)·10^k for k = 0 … maxJitterTries−1.
   */
  jitter?: number | "auto";
  /** Number of jitter levels tried with jitter 'auto' (default 5). */
  maxJitterTries?: number;
}

export interface CholeskyResult {
  /** The factor [..., n, n]: lower (default) or upper, per `lower`. Differentiable (nestable). */
  l: Tensor;
  /** The jitter added to the diagonal (0 when none was needed); one value for the whole batch. */
  jitter: number;
}

/**
 * Cholesky factor of symmetric positive definite a [..., n, n] (symmetrized as (a + aᵀ)/2). Throws
 * NotPositiveDefiniteError naming the failing pivot when a (+ jitter) is not positive definite.
 */
export function cholesky(a: TensorLike, options: CholeskyOptions = {}): CholeskyResult {
  const { lower = true, jitter, maxJitterTries = 5 } = options;
  const A = asTensor(a, "a");
  // Finiteness of a is checked by the factorization (factorAll), which reads every entry anyway.
  const { n, count } = matInfo(A, "cholesky", "a", true, false);
  if (typeof jitter === "number" && !(Number.isFinite(jitter) && jitter >= 0)) {
    throw new ValueError(`cholesky: options.jitter must be a finite number ≥ 0 or 'auto', got ${jitter}`);
  }
  if (!(Number.isInteger(maxJitterTries) && maxJitterTries >= 1)) {
    throw new ValueError(`cholesky: options.maxJitterTries must be an integer ≥ 1, got ${maxJitterTries}`);
  }
  let used = typeof jitter === "number" ? jitter : 0;
  let l: Float64Array | null;
  if (jitter === "auto") {
    l = factorAll(A, 0, "a", false);
    if (l === null) {
      const ad = A.data;
      let s = 0;
      for (let b = 0; b < count; b++) for (let i = 0; i < n; i++) s += ad[b * n * n + i * n + i]!;
      const md = Math.abs(s / Math.max(1, count * n));
      // A zero (or negative) mean diagonal has no scale; fall back to absolute jitter levels.
      const scale = md > 0 ? md : 1;
      for (let k = 0; k < maxJitterTries && l === null; k++) {
        used = 1e-10 * scale * 10 ** k;
        l = factorAll(A, used, "a", false);
      }
      // Report the failure of the un-jittered matrix: it is what the caller passed.
      if (l === null) factorAll(A, 0, "a", true);
    }
  } else {
    l = factorAll(A, used, "a", true);
  }
  let L: Tensor;
  if (isConcrete(A)) L = fromData(l!, A.shape);
  else L = choleskyMat(used > 0 ? add(A, mul(used, eye(n))) : A);
  return { l: lower ? L : mT(L), jitter: used };
}

/**
 * Solves a·x = b given the Cholesky factor of a: l lower (a = l·lᵀ, default) or, with lower false, the
 * upper u (a = uᵀ·u); b is [..., n] or [..., n, k]. Two differentiable triangular solves (nestable).
 */
export function choleskySolve(l: TensorLike, b: TensorLike, options: { lower?: boolean } = {}): Tensor {
  const { lower = true } = options;
  const L = asTensor(l, "l");
  const B = asTensor(b, "b");
  const info = matInfo(L, "choleskySolve", "l", true, false);
  assertFiniteF64(L.data, "choleskySolve: l");
  const { vector } = rhsInfo(B, info, "choleskySolve");
  const Bm = vector ? expandDims(B, -1) : B;
  // lower: l·(lᵀ x) = b; upper: uᵀ·(u x) = b.
  const y = triSolver(lower, !lower, false)(L, Bm);
  const x = triSolver(lower, lower, false)(L, y);
  return vector ? squeeze(x, -1) : x;
}
