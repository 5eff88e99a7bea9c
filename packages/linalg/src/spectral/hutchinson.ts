// Stochastic trace and diagonal estimation (Hutchinson 1990; Bekas, Kokiopoulou & Saad 2007 for the
// diagonal) and Hutch++ (Meyer, Musco, Musco & Woodruff, SOSA 2021).
import { type Key, normal, rademacher, split, type Tensor, tensor, ValueError } from "@x/tensor";
import { qr } from "../dense/qr.js";
import { applyRaw, checkCount, dot, keyOf, type OperatorInput, operatorOf } from "./common.js";

export interface HutchinsonOptions {
  numSamples?: number;
  key?: Key;
  seed?: number;
  distribution?: "rademacher" | "gaussian";
}

function probes(key: Key, count: number, n: number, dist: string, fn: string): Float64Array {
  if (dist === "rademacher") return Float64Array.from(rademacher(key, [count, n]).data);
  if (dist === "gaussian") return Float64Array.from(normal(key, [count, n]).data);
  throw new ValueError(`${fn}: distribution must be 'rademacher' or 'gaussian', got ${dist}`);
}

/** The checked operator, its size n, the sample count s and s probe vectors z (row j = probe j). */
function probeSetup(A: OperatorInput, opts: HutchinsonOptions, fn: string) {
  const op = operatorOf(A, fn);
  const n = op.shape[0];
  const s = opts.numSamples ?? 100;
  checkCount(s, Number.MAX_SAFE_INTEGER, "numSamples", fn);
  const z = probes(keyOf(opts), s, n, opts.distribution ?? "rademacher", fn);
  return { n, s, z, apply: applyRaw(op) };
}

/** Hutchinson trace estimate tr(A) ≈ mean zᵀAz, with its standard error. */
export function hutchinson(A: OperatorInput, opts: HutchinsonOptions = {}): { estimate: number; stderr: number } {
  const { n, s, z, apply } = probeSetup(A, opts, "hutchinson");
  const samples: number[] = [];
  for (let j = 0; j < s; j++) {
    const zj = z.subarray(j * n, (j + 1) * n);
    samples.push(dot(zj, apply(Float64Array.from(zj))));
  }
  const mean = samples.reduce((a, b) => a + b, 0) / s;
  const variance = s > 1 ? samples.reduce((a, b) => a + (b - mean) ** 2, 0) / (s - 1) : Number.NaN;
  return { estimate: mean, stderr: s > 1 ? Math.sqrt(variance / s) : Number.POSITIVE_INFINITY };
}

/** Diagonal estimate diag(A) ≈ Σ z⊙Az / Σ z⊙z. */
export function hutchinsonDiagonal(A: OperatorInput, opts: HutchinsonOptions = {}): Tensor {
  const { n, s, z, apply } = probeSetup(A, opts, "hutchinsonDiagonal");
  const num = new Float64Array(n);
  const den = new Float64Array(n);
  for (let j = 0; j < s; j++) {
    const zj = Float64Array.from(z.subarray(j * n, (j + 1) * n));
    const az = apply(zj);
    for (let i = 0; i < n; i++) {
      num[i]! += zj[i]! * az[i]!;
      den[i]! += zj[i]! * zj[i]!;
    }
  }
  for (let i = 0; i < n; i++) num[i] = num[i]! / den[i]!;
  return tensor(num, [n]);
}

/** Hutch++: exact trace on a randomized range of A plus Hutchinson on the deflated remainder. */
export function hutchPlusPlus(
  A: OperatorInput,
  opts: { numMatvecs?: number; key?: Key; seed?: number } = {},
): { estimate: number } {
  const op = operatorOf(A, "hutchPlusPlus");
  const n = op.shape[0];
  const m = opts.numMatvecs ?? 99;
  if (!Number.isInteger(m) || m < 3) throw new ValueError(`hutchPlusPlus: numMatvecs must be an integer ≥ 3, got ${m}`);
  const k = Math.min(Math.floor(m / 3), n);
  const g = m - 2 * k; // remaining budget for Hutchinson probes
  const [k1, k2] = split(keyOf(opts), 2) as [Key, Key];
  const S = rademacher(k1, [k, n]).data;
  const apply = applyRaw(op);
  // Y = A S (n×k, row-major), Q = orth(Y).
  const Y = new Float64Array(n * k);
  for (let j = 0; j < k; j++) {
    const y = apply(Float64Array.from(S.subarray(j * n, (j + 1) * n)));
    for (let i = 0; i < n; i++) Y[i * k + j] = y[i]!;
  }
  const Q = qr(tensor(Y, [n, k])).q.data;
  const qc: Float64Array[] = [];
  for (let j = 0; j < k; j++) {
    const c = new Float64Array(n);
    for (let i = 0; i < n; i++) c[i] = Q[i * k + j]!;
    qc.push(c);
  }
  let est = 0;
  for (const c of qc) est += dot(c, apply(Float64Array.from(c)));
  const G = rademacher(k2, [g, n]).data;
  let rest = 0;
  for (let j = 0; j < g; j++) {
    const z = Float64Array.from(G.subarray(j * n, (j + 1) * n));
    for (const c of qc) {
      const t = dot(c, z);
      for (let i = 0; i < n; i++) z[i]! -= t * c[i]!;
    }
    const az = apply(Float64Array.from(z));
    rest += dot(z, az);
  }
  if (g > 0) est += rest / g;
  return { estimate: est };
}
