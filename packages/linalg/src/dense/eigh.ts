// Symmetric eigendecomposition: Householder tridiagonalisation followed by the implicit QL method
// with Wilkinson-type shifts (tred2/tql2 of the EISPACK / JAMA lineage; Golub & Van Loan, §8.3) for small
// n; from DC_MIN on, the LAPACK dsyevd route: blocked tridiagonalisation (sytrd-blocked.ts), Cuppen's
// divide and conquer for the eigenvectors of T (tridiagonal-dc.ts), blocked back-transformation.
// Derivatives (distinct eigenvalues; Magnus 1985, Giles 2008): with S = Vᵀ·sym(dA)·V,
//   dλ = diag(S),  dV = V·(F ∘ S),  F_ij = 1/(λ_j − λ_i) (i ≠ j), F_ii = 0.
// Both outputs are customJvp functions whose rules call eigh itself, so derivatives nest;
// reverse mode is the transpose of these rules: ḡA = V(diag(ḡλ) + F ∘ (Vᵀ ḡV))Vᵀ, symmetrised.
import {
  add,
  asTensor,
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
import { factorOutput } from "./factor-output.js";
import { columnSigns } from "./sign-convention.js";
import { applyQ, sytrd } from "./sytrd-blocked.js";
import { stedc } from "./tridiagonal-dc.js";
import { tql2 } from "./tridiagonal-ql.js";

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

/** From this order on: blocked tridiagonalisation and, for eigenvectors, divide and conquer instead of tred2/QL. */
const DC_MIN = 48;

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
  if (n >= DC_MIN) {
    blockedEig(V, n, sc, w, wOff, vec, vOff);
    return;
  }
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
  // e[i] now couples i and i+1.
  for (let i = 1; i < n; i++) e[i - 1] = e[i]!;
  e[n - 1] = 0;
  // Work on Wᵀ = Vᵀ so that the rotations of the QL sweep touch contiguous rows.
  let W: Float64Array | null = null;
  if (vec) {
    W = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) W[j * n + i] = V[i * n + j]!;
  }
  tql2(d, e, n, W, n);
  // Sort ascending; fix signs so the largest-|entry| of every eigenvector is positive.
  const idx = Array.from({ length: n }, (_, i) => i).sort((x, y) => d[x]! - d[y]!);
  for (let j = 0; j < n; j++) {
    const src = idx[j]!;
    w[wOff + j] = d[src]! * sc;
    if (!vec) continue;
    let big = 0;
    let sg = 1;
    for (let k = 0; k < n; k++) {
      const v = W![src * n + k]!;
      if (Math.abs(v) > big) {
        big = Math.abs(v);
        sg = v < 0 ? -1 : 1;
      }
    }
    for (let k = 0; k < n; k++) vec[vOff + k * n + j] = sg * W![src * n + k]!;
  }
}

/**
 * Large n: blocked tridiagonalisation (sytrd-blocked.ts), then divide and conquer for the eigenvectors
 * of T (tridiagonal-dc.ts) back-transformed by blocked reflectors, or QL for eigenvalues only. Most of the
 * O(n³) work runs in matrix products. `s` holds the scaled lower triangle and is overwritten.
 */
function blockedEig(
  s: Float64Array,
  n: number,
  sc: number,
  w: Float64Array,
  wOff: number,
  vec: Float64Array | null,
  vOff: number,
): void {
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) s[i * n + j] = s[j * n + i]!;
  const tri = sytrd(s, n);
  const { d, e } = tri;
  if (!vec) {
    tql2(d, e, n, null, 0);
    const sorted = Array.from(d).sort((x, y) => x - y);
    for (let j = 0; j < n; j++) w[wOff + j] = sorted[j]! * sc;
    return;
  }
  const z = stedc(d, e, n);
  applyQ(tri, n, z, n);
  const sg = columnSigns(z, n, n, n);
  for (let j = 0; j < n; j++) w[wOff + j] = d[j]! * sc;
  for (let k = 0; k < n; k++) {
    const r = k * n;
    const o = vOff + k * n;
    for (let j = 0; j < n; j++) vec[o + j] = sg[j]! * z[r + j]!;
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
const eighValues: (a: Tensor) => Tensor = factorOutput((a) => cached(a).w, jvpParts, "w", "dw");

/** Eigenvectors of a symmetric a (lower triangle read), differentiable and nestable. No validation. */
const eighVectors: (a: Tensor) => Tensor = factorOutput((a) => cached(a).v, jvpParts, "v", "dv");

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
