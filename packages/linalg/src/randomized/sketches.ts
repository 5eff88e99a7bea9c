// Random sketching operators S (s×n) with E[SᵀS] = I: Gaussian, subsampled randomized Hadamard transform
// (Ailon & Chazelle 2009; Tropp 2011) and CountSketch (Clarkson & Woodruff 2013).
import { type Key, LinearOperator, normal, permutation, rademacher, randint, split, tensor } from "@x/tensor";
import { checkCount, keyOf } from "../spectral/common.js";
import { fwhtInPlace } from "./fwht.js";

export interface SketchOptions {
  key?: Key;
  seed?: number;
}

function check(s: number, n: number, fn: string): void {
  checkCount(n, Number.MAX_SAFE_INTEGER, "n", fn);
  checkCount(s, Number.MAX_SAFE_INTEGER, "s", fn);
}

/** Dense Gaussian sketch S_ij ~ N(0, 1/s), as an s×n LinearOperator. */
export function gaussianSketch(s: number, n: number, opts: SketchOptions = {}): LinearOperator {
  check(s, n, "gaussianSketch");
  const g = Float64Array.from(normal(keyOf(opts), [s, n]).data);
  const c = 1 / Math.sqrt(s);
  for (let i = 0; i < g.length; i++) g[i]! *= c;
  const S = tensor(g, [s, n]);
  return new LinearOperator(
    [s, n],
    (v) => {
      const y = new Float64Array(s);
      for (let i = 0; i < s; i++) {
        let t = 0;
        for (let j = 0; j < n; j++) t += g[i * n + j]! * v.data[j]!;
        y[i] = t;
      }
      return tensor(y, [s]);
    },
    {
      rmatvec: (v) => {
        const y = new Float64Array(n);
        for (let i = 0; i < s; i++) for (let j = 0; j < n; j++) y[j]! += g[i * n + j]! * v.data[i]!;
        return tensor(y, [n]);
      },
      toDense: () => S,
    },
  );
}

/**
 * SRHT S = √(N/s) P H D (zero-padding n to N = 2^⌈log₂ n⌉): random signs D, orthonormal Hadamard H and
 * s rows sampled without replacement P. s ≤ N.
 */
export function srhtSketch(s: number, n: number, opts: SketchOptions = {}): LinearOperator {
  check(s, n, "srhtSketch");
  let N = 1;
  while (N < n) N *= 2;
  checkCount(s, N, "s", "srhtSketch");
  const [k1, k2] = split(keyOf(opts), 2) as [Key, Key];
  const d = rademacher(k1, [n]).data;
  const rows = permutation(k2, N).data.subarray(0, s);
  const c = Math.sqrt(N / s);
  return new LinearOperator(
    [s, n],
    (v) => {
      const x = new Float64Array(N);
      for (let j = 0; j < n; j++) x[j] = d[j]! * v.data[j]!;
      fwhtInPlace(x, 0, N);
      const y = new Float64Array(s);
      for (let i = 0; i < s; i++) y[i] = c * x[rows[i]!]!;
      return tensor(y, [s]);
    },
    {
      rmatvec: (v) => {
        const x = new Float64Array(N);
        for (let i = 0; i < s; i++) x[rows[i]!] = c * v.data[i]!;
        fwhtInPlace(x, 0, N); // H is symmetric
        const y = new Float64Array(n);
        for (let j = 0; j < n; j++) y[j] = d[j]! * x[j]!;
        return tensor(y, [n]);
      },
    },
  );
}

/** CountSketch: each column j has one ±1 in a uniformly random row h(j). */
export function countSketch(s: number, n: number, opts: SketchOptions = {}): LinearOperator {
  check(s, n, "countSketch");
  const [k1, k2] = split(keyOf(opts), 2) as [Key, Key];
  const h = randint(k1, [n], 0, s).data;
  const sg = rademacher(k2, [n]).data;
  return new LinearOperator(
    [s, n],
    (v) => {
      const y = new Float64Array(s);
      for (let j = 0; j < n; j++) y[h[j]!]! += sg[j]! * v.data[j]!;
      return tensor(y, [s]);
    },
    {
      rmatvec: (v) => {
        const y = new Float64Array(n);
        for (let j = 0; j < n; j++) y[j] = sg[j]! * v.data[h[j]!]!;
        return tensor(y, [n]);
      },
    },
  );
}

/** Applies an s×n sketch to an n×d matrix, column by column → s×d. */
export function applySketch(S: LinearOperator, M: Float64Array, n: number, d: number): Float64Array {
  const s = S.shape[0];
  const out = new Float64Array(s * d);
  const col = new Float64Array(n);
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < n; i++) col[i] = M[i * d + j]!;
    const y = S.matvec(tensor(Float64Array.from(col), [n])).data;
    for (let i = 0; i < s; i++) out[i * d + j] = y[i]!;
  }
  return out;
}
