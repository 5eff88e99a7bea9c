// Symmetric eigendecomposition: Householder tridiagonalisation followed by the implicit QL method
// with Wilkinson-type shifts (tred2/tql2 of the EISPACK / JAMA lineage; Golub & Van Loan, §8.3).
// Derivatives (distinct eigenvalues; Magnus 1985, Giles 2008): with S = Vᵀ·sym(dA)·V,
//   dλ = diag(S),  dV = V·(F ∘ S),  F_ij = 1/(λ_j − λ_i) (i ≠ j), F_ii = 0.
// Both outputs are customJvp functions whose rules call eigh itself, so derivatives nest;
// reverse mode is the transpose of these rules: ḡA = V(diag(ḡλ) + F ∘ (Vᵀ ḡV))Vᵀ, symmetrised.
import {
  add,
  asTensor,
  customJvp,
  div,
  expandDims,
  eye,
  matmul,
  mT,
  mul,
  sub,
  sum,
  type Tensor,
  type TensorLike,
  tensor,
  ValueError,
} from "@x/tensor";
import { isConcrete, mask, matInfo, out, sym } from "./common.js";

export interface EighOptions {
  /**
   * Which triangle to read ("L" lower, "U" upper). Without it the input must be symmetric to a
   * relative tolerance of 1e-8 (ValueError otherwise) and its symmetric part is used.
   */
  uplo?: "L" | "U";
}

export interface EighResult {
  /** Eigenvalues in ascending order, shape [..., n]. */
  values: Tensor;
  /** Orthonormal eigenvectors as columns, shape [..., n, n]; each column's largest-|entry| is positive. */
  vectors: Tensor;
}

const EPS = 2 ** -52;

function hyp(a: number, b: number): number {
  const x = Math.abs(a);
  const y = Math.abs(b);
  if (x > y) {
    const r = y / x;
    return x * Math.sqrt(1 + r * r);
  }
  if (y === 0) return 0;
  const r = x / y;
  return y * Math.sqrt(1 + r * r);
}

/**
 * Eigen-decomposition of one symmetric n×n matrix read from the lower triangle of `a` at `off`.
 * Writes ascending eigenvalues to w[wOff..] and, if `vec`, eigenvectors as columns to vec[vOff..].
 */
export function symEig(
  a: Float64Array,
  off: number,
  n: number,
  w: Float64Array,
  wOff: number,
  vec: Float64Array | null,
  vOff: number,
): void {
  if (n === 0) return;
  const V = new Float64Array(n * n);
  // Work on a/max|a_ij| so that tiny (subnormal) or huge inputs keep full relative accuracy.
  let big = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) big = Math.max(big, Math.abs(a[off + i * n + j]!));
  const sc = big > 0 ? big : 1;
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) V[i * n + j] = a[off + i * n + j]! / sc;
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  // --- tred2: Householder reduction to tridiagonal form (lower triangle), accumulating Q in V.
  for (let j = 0; j < n; j++) d[j] = V[(n - 1) * n + j]!;
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]!);
    // A (scaled) column below 1e-280 is treated as zero: dividing by a subnormal scale loses all bits.
    if (scale < 1e-280) {
      e[i] = d[i - 1]!;
      for (let j = 0; j < i; j++) {
        d[j] = V[(i - 1) * n + j]!;
        V[i * n + j] = 0;
        V[j * n + i] = 0;
      }
    } else {
      // Scaling avoids under/overflow in the Householder vector.
      for (let k = 0; k < i; k++) {
        d[k]! /= scale;
        h += d[k]! * d[k]!;
      }
      let f = d[i - 1]!;
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        V[j * n + i] = f;
        g = e[j]! + V[j * n + j]! * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += V[k * n + j]! * d[k]!;
          e[k]! += V[k * n + j]! * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j]! /= h;
        f += e[j]! * d[j]!;
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j]! -= hh * d[j]!;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        g = e[j]!;
        for (let k = j; k <= i - 1; k++) V[k * n + j]! -= f * e[k]! + g * d[k]!;
        d[j] = V[(i - 1) * n + j]!;
        V[i * n + j] = 0;
      }
    }
    d[i] = h;
  }
  for (let i = 0; i < n - 1; i++) {
    V[(n - 1) * n + i] = V[i * n + i]!;
    V[i * n + i] = 1;
    const h = d[i + 1]!;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = V[k * n + i + 1]! / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += V[k * n + i + 1]! * V[k * n + j]!;
        for (let k = 0; k <= i; k++) V[k * n + j]! -= g * d[k]!;
      }
    }
    for (let k = 0; k <= i; k++) V[k * n + i + 1] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = V[(n - 1) * n + j]!;
    V[(n - 1) * n + j] = 0;
  }
  V[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
  // Work on Wᵀ = Vᵀ so that the rotations of the QL sweep touch contiguous rows.
  const W = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) W[j * n + i] = V[i * n + j]!;
  // --- tql2: implicit QL with shifts on the tridiagonal (d, e).
  for (let i = 1; i < n; i++) e[i - 1] = e[i]!;
  e[n - 1] = 0;
  let f = 0;
  // Deflation threshold relative to the whole tridiagonal (a running maximum, as in JAMA, fails when
  // the leading entries are zero and the next off-diagonal is subnormal).
  let tst1 = 0;
  for (let l = 0; l < n; l++) tst1 = Math.max(tst1, Math.abs(d[l]!) + Math.abs(e[l]!));
  for (let l = 0; l < n; l++) {
    let m = l;
    while (m < n - 1 && Math.abs(e[m]!) > EPS * tst1) m++;
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 60) throw new ValueError("eigh: the QL iteration did not converge");
        let g = d[l]!;
        let p = (d[l + 1]! - g) / (2 * e[l]!);
        let r = hyp(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l]! / (p + r);
        d[l + 1] = e[l]! * (p + r);
        const dl1 = d[l + 1]!;
        let h = g - d[l]!;
        for (let i = l + 2; i < n; i++) d[i]! -= h;
        f += h;
        p = d[m]!;
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1]!;
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i]!;
          h = c * p;
          r = hyp(p, e[i]!);
          e[i + 1] = s * r;
          s = e[i]! / r;
          c = p / r;
          p = c * d[i]! - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]!);
          if (vec) {
            const r0 = i * n;
            const r1 = (i + 1) * n;
            for (let k = 0; k < n; k++) {
              const hk = W[r1 + k]!;
              const wk = W[r0 + k]!;
              W[r1 + k] = s * wk + c * hk;
              W[r0 + k] = c * wk - s * hk;
            }
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]!) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]!) > EPS * tst1);
    }
    d[l] = d[l]! + f;
    e[l] = 0;
  }
  // Sort ascending; fix signs so the largest-|entry| of every eigenvector is positive.
  const idx = Array.from({ length: n }, (_, i) => i).sort((x, y) => d[x]! - d[y]!);
  for (let j = 0; j < n; j++) {
    const src = idx[j]!;
    w[wOff + j] = d[src]! * sc;
    if (!vec) continue;
    let big = 0;
    let sg = 1;
    for (let k = 0; k < n; k++) {
      const v = W[src * n + k]!;
      if (Math.abs(v) > big) {
        big = Math.abs(v);
        sg = v < 0 ? -1 : 1;
      }
    }
    for (let k = 0; k < n; k++) vec[vOff + k * n + j] = sg * W[src * n + k]!;
  }
}

// Concrete results keyed by input tensor, so the values/vectors primitives share one factorisation.
// Used only inside the autodiff primitives; an entry is trusted only if the input data is unchanged
// (tensors' Float64Arrays are mutable).
const cache = new WeakMap<Tensor, { snap: Float64Array; w: Tensor; v: Tensor }>();

function cached(a: Tensor): { w: Tensor; v: Tensor } {
  const hit = cache.get(a);
  const d = a.data;
  if (hit && hit.snap.length === d.length && hit.snap.every((x, i) => x === d[i])) return hit;
  const r = raw(a);
  cache.set(a, { snap: d.slice(), ...r });
  return r;
}

function raw(a: Tensor): { w: Tensor; v: Tensor } {
  const { batch, count, n } = matInfo(a, "eigh", "a", true);
  const src = a.data;
  const w = new Float64Array(count * n);
  const v = new Float64Array(count * n * n);
  for (let b = 0; b < count; b++) symEig(src, b * n * n, n, w, b * n, v, b * n * n);
  return { w: out(w, [...batch, n]), v: out(v, a.shape) };
}

/** Diagonal of [..., n, n] → [..., n] (differentiable). */
const diagPart = (m: Tensor): Tensor => sum(mul(m, eye(m.shape[m.rank - 1]!)), { axis: -1 });
/** F_ij = 1/(x_j − x_i) off the diagonal, 0 on it, for x [..., n] (differentiable). */
function gapInverse(x: Tensor): Tensor {
  const n = x.shape[x.rank - 1]!;
  const I = eye(n);
  const diff = sub(expandDims(x, -2), expandDims(x, -1));
  return mul(sub(1, I), div(1, add(diff, I)));
}

function jvpParts(a: Tensor, da: Tensor): { w: Tensor; v: Tensor; dw: Tensor; dv: Tensor } {
  const w = eighValues(a);
  const v = eighVectors(a);
  const S = matmul(mT(v), matmul(sym(da), v));
  return { w, v, dw: diagPart(S), dv: matmul(v, mul(gapInverse(w), S)) };
}

/** Eigenvalues of a symmetric a (lower triangle read), differentiable and nestable. No validation. */
const eighValues: (a: Tensor) => Tensor = customJvp(
  (a: Tensor) => cached(a).w,
  ([a], [da]) => {
    const p = jvpParts(a, da);
    return [p.w, p.dw];
  },
) as (a: Tensor) => Tensor;

/** Eigenvectors of a symmetric a (lower triangle read), differentiable and nestable. No validation. */
const eighVectors: (a: Tensor) => Tensor = customJvp(
  (a: Tensor) => cached(a).v,
  ([a], [da]) => {
    const p = jvpParts(a, da);
    return [p.v, p.dv];
  },
) as (a: Tensor) => Tensor;

/** Validates and returns the symmetric matrix the decomposition acts on (differentiable). */
function prepare(a: TensorLike, fn: string, uplo: "L" | "U" | undefined): Tensor {
  const A = asTensor(a, "a");
  const { count, n } = matInfo(A, fn, "a", true);
  if (uplo === "L" || uplo === "U") {
    const lower = uplo === "L" ? A : mT(A);
    return add(mul(lower, mask(n, "lower")), mT(mul(lower, mask(n, "strictLower"))));
  }
  if (uplo !== undefined) throw new ValueError(`${fn}: uplo must be "L" or "U", got ${String(uplo)}`);
  const d = A.data;
  for (let b = 0; b < count; b++) {
    const o = b * n * n;
    let big = 0;
    for (let i = 0; i < n * n; i++) big = Math.max(big, Math.abs(d[o + i]!));
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < i; j++) {
        if (Math.abs(d[o + i * n + j]! - d[o + j * n + i]!) > 1e-8 * big) {
          throw new ValueError(
            `${fn}: a must be symmetric (|a[${i},${j}] − a[${j},${i}]| exceeds 1e-8·max|a|); pass { uplo: "L" | "U" } to read one triangle`,
          );
        }
      }
    }
  }
  return isConcrete(A) ? A : sym(A);
}

/**
 * Eigendecomposition of a symmetric (batch of) matrix a [..., n, n] → { values ascending [..., n],
 * vectors [..., n, n] as columns }. Differentiable (distinct eigenvalues), nestable.
 */
export function eigh(a: TensorLike, opts: EighOptions = {}): EighResult {
  const S = prepare(a, "eigh", opts.uplo);
  if (isConcrete(S)) {
    const r = raw(S);
    return { values: r.w, vectors: r.v };
  }
  return { values: eighValues(S), vectors: eighVectors(S) };
}

/** Eigenvalues (ascending) of a symmetric (batch of) matrix [..., n, n]. Differentiable, nestable. */
export function eigvalsh(a: TensorLike, opts: EighOptions = {}): Tensor {
  const S = prepare(a, "eigvalsh", opts.uplo);
  if (isConcrete(S)) {
    const { batch, count, n } = matInfo(S, "eigvalsh", "a", true);
    const w = new Float64Array(count * n);
    for (let b = 0; b < count; b++) symEig(S.data, b * n * n, n, w, b * n, null, 0);
    return tensor(w, [...batch, n]);
  }
  return eighValues(S);
}
