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
  gemmF64,
  matmul,
  mT,
  mul,
  squeeze,
  type Tensor,
  type TensorLike,
  ValueError,
} from "@x/tensor";
import { NotPositiveDefiniteError } from "../errors.js";
import { isConcrete, mask, matInfo, out, rhsInfo, sym } from "./common.js";
import { triSolver } from "./solve-triangular.js";

/**
 * Lower Cholesky factor of sym(a[off..]) + jitter·I (n×n row-major) into l[off..] (zeros above the
 * diagonal). Returns −1 on success or the index of the first non-positive pivot, with its value.
 * Large matrices use the blocked right-looking variant (Golub & Van Loan §4.2.9): the O(n³) trailing
 * update runs through @x/tensor's SIMD matmul.
 */
export function potrf(
  a: Float64Array,
  l: Float64Array,
  off: number,
  n: number,
  jitter = 0,
): { pivot: number; value: number } {
  if (n < BLOCK_MIN) return potrfUnblocked(a, l, off, n, jitter);
  return potrfBlocked(a, l, off, n, jitter);
}

const NB = 96;
const BLOCK_MIN = 160;
const STRIP = 192;

/** Unblocked reference variant of potrf (row-oriented Cholesky–Crout). */
export function potrfUnblocked(
  a: Float64Array,
  l: Float64Array,
  off: number,
  n: number,
  jitter: number,
): { pivot: number; value: number } {
  for (let j = 0; j < n; j++) {
    const rj = off + j * n;
    for (let i = j; i < n; i++) {
      const ri = off + i * n;
      let s = 0.5 * (a[ri + j]! + a[rj + i]!) + (i === j ? jitter : 0);
      for (let k = 0; k < j; k++) s -= l[ri + k]! * l[rj + k]!;
      if (i === j) {
        // !(s > 0) also catches NaN.
        if (!(s > 0)) return { pivot: j, value: s };
        l[rj + j] = Math.sqrt(s);
      } else {
        l[ri + j] = s / l[rj + j]!;
      }
    }
  }
  return { pivot: -1, value: 0 };
}

function potrfBlocked(
  a: Float64Array,
  l: Float64Array,
  off: number,
  n: number,
  jitter: number,
): { pivot: number; value: number } {
  // Work in l: its lower triangle holds sym(a) + jitter·I, overwritten block column by block column.
  for (let i = 0; i < n; i++) {
    const ri = off + i * n;
    for (let j = 0; j < i; j++) l[ri + j] = 0.5 * (a[ri + j]! + a[off + j * n + i]!);
    l[ri + i] = a[ri + i]! + jitter;
    for (let j = i + 1; j < n; j++) l[ri + j] = 0;
  }
  for (let k0 = 0; k0 < n; k0 += NB) {
    const k1 = Math.min(n, k0 + NB);
    const b = k1 - k0;
    // Diagonal block (its trailing updates are already applied).
    for (let j = k0; j < k1; j++) {
      const rj = off + j * n;
      for (let i = j; i < k1; i++) {
        const ri = off + i * n;
        let s = l[ri + j]!;
        for (let k = k0; k < j; k++) s -= l[ri + k]! * l[rj + k]!;
        if (i === j) {
          if (!(s > 0)) return { pivot: j, value: s };
          l[rj + j] = Math.sqrt(s);
        } else {
          l[ri + j] = s / l[rj + j]!;
        }
      }
    }
    const m = n - k1;
    if (m === 0) break;
    // Panel L21 = A21·L11⁻ᵀ by matmul with the explicit inverse of the small diagonal block (winv holds
    // (L11⁻¹)ᵀ, upper triangular); p (m×b) and pt (b×m) pack the panel for the trailing update.
    const winv = new Float64Array(b * b);
    for (let j = 0; j < b; j++) {
      winv[j * b + j] = 1 / l[off + (k0 + j) * n + k0 + j]!;
      for (let i = j + 1; i < b; i++) {
        const ri = off + (k0 + i) * n + k0;
        let s = 0;
        for (let k = j; k < i; k++) s += l[ri + k]! * winv[j * b + k]!;
        winv[j * b + i] = -s / l[ri + i]!;
      }
    }
    const a21 = new Float64Array(m * b);
    for (let i = 0; i < m; i++) {
      const ri = off + (k1 + i) * n + k0;
      for (let j = 0; j < b; j++) a21[i * b + j] = l[ri + j]!;
    }
    const p = gemmF64(a21, winv, m, b, b);
    for (let i = 0; i < m; i++) {
      const ri = off + (k1 + i) * n + k0;
      for (let j = 0; j < b; j++) l[ri + j] = p[i * b + j]!;
    }
    // Trailing update A22 −= L21·L21ᵀ, lower triangle only: column strips [c0, c1) take rows c0..m of L21
    // (a contiguous slice of p) times the strip's rows of L21, transposed — about half the full product.
    for (let c0 = 0; c0 < m; c0 += STRIP) {
      const c1 = Math.min(m, c0 + STRIP);
      const w = c1 - c0;
      const h = m - c0;
      const rt = new Float64Array(b * w);
      for (let j = 0; j < w; j++) for (let t = 0; t < b; t++) rt[t * w + j] = p[(c0 + j) * b + t]!;
      const c = gemmF64(p.subarray(c0 * b, m * b), rt, h, b, w);
      for (let i = 0; i < h; i++) {
        const ri = off + (k1 + c0 + i) * n + k1 + c0;
        const ci = i * w;
        const jmax = Math.min(w - 1, i);
        for (let j = 0; j <= jmax; j++) l[ri + j]! -= c[ci + j]!;
      }
    }
  }
  return { pivot: -1, value: 0 };
}

function factorAll(a: Tensor, jitter: number, arg: string, throwOnFail: boolean): Float64Array | null {
  const n = a.shape[a.rank - 1]!;
  const count = a.size / Math.max(1, n * n);
  const ad = a.data;
  const l = new Float64Array(ad.length);
  for (let b = 0; b < count; b++) {
    const r = potrf(ad, l, b * n * n, n, jitter);
    if (r.pivot >= 0) {
      if (throwOnFail) throw new NotPositiveDefiniteError(arg, r.pivot, r.value, b);
      return null;
    }
  }
  return l;
}

/** Differentiable lower Cholesky factor of sym(a), without validation or jitter. */
export const choleskyMat: (a: Tensor) => Tensor = customJvp(
  (a: Tensor) => out(factorAll(a, 0, "a", true)!, a.shape),
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
  const { n, count } = matInfo(A, "cholesky", "a", true);
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
  if (isConcrete(A)) L = out(l!, A.shape);
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
  const info = matInfo(L, "choleskySolve", "l", true);
  const { vector } = rhsInfo(B, info, "choleskySolve");
  const Bm = vector ? expandDims(B, -1) : B;
  // lower: l·(lᵀ x) = b; upper: uᵀ·(u x) = b.
  const y = triSolver(lower, !lower, false)(L, Bm);
  const x = triSolver(lower, lower, false)(L, y);
  return vector ? squeeze(x, -1) : x;
}
