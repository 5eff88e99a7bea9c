// Randomized Nyström approximation of a PSD matrix, A ≈ (AΩ)(ΩᵀAΩ)⁺(AΩ)ᵀ with orthonormal Ω
// (Williams & Seeger 2001; Halko, Martinsson & Tropp 2011, §5.4; Tropp et al. 2017).
import { type Key, normal, type Tensor, tensor, ValueError } from "@x/tensor";
import { qr } from "../dense/qr.js";
import { svd } from "../dense/svd.js";
import { checkCount, keyOf, type OperatorInput, operatorOf } from "../spectral/common.js";
import { jacobiEig } from "../spectral/jacobi-eig.js";
import { applyCols, atb } from "./common.js";

/** Rank-k Nyström: A ≈ U diag(lambda) Uᵀ with U n×k orthonormal; also the factor F = U diag(√lambda). */
export function nystrom(
  A: OperatorInput,
  k: number,
  opts: { oversample?: number; key?: Key; seed?: number } = {},
): { u: Tensor; lambda: Tensor; factor: Tensor } {
  const op = operatorOf(A, "nystrom");
  const n = op.shape[0];
  checkCount(k, n, "k", "nystrom");
  const l = Math.min(n, k + (opts.oversample ?? 10));
  const omega = Float64Array.from(qr(normal(keyOf(opts), [n, l])).q.data);
  const Y = applyCols(op, omega, l);
  const core = atb(omega, Y, n, l, l);
  for (let i = 0; i < l; i++) {
    for (let j = 0; j < i; j++) {
      const s = 0.5 * (core[i * l + j]! + core[j * l + i]!);
      core[i * l + j] = s;
      core[j * l + i] = s;
    }
  }
  const { values, vectors } = jacobiEig(core, l);
  const lmax = Math.max(Math.abs(values[l - 1]!), Number.MIN_VALUE);
  if (values[0]! < -1e-8 * lmax)
    throw new ValueError("nystrom: A must be positive semi-definite (ΩᵀAΩ has a negative eigenvalue)");
  // F = Y V Λ^{-1/2} on the numerically nonzero part, so A ≈ F Fᵀ.
  const keep: number[] = [];
  for (let j = 0; j < l; j++) if (values[j]! > 1e-12 * lmax) keep.push(j);
  const r = keep.length;
  const F = new Float64Array(n * Math.max(r, 1));
  keep.forEach((j, c) => {
    const sc = 1 / Math.sqrt(values[j]!);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let t = 0; t < l; t++) s += Y[i * l + t]! * vectors[j * l + t]!;
      F[i * r + c] = s * sc;
    }
  });
  const kk = Math.min(k, r);
  const u = new Float64Array(n * k);
  const lam = new Float64Array(k);
  if (r > 0) {
    const d = svd(tensor(F.subarray(0, n * r), [n, r]));
    const ud = d.u.data;
    const w = d.u.shape[1]!;
    for (let j = 0; j < kk; j++) lam[j] = d.s.data[j]! ** 2;
    for (let i = 0; i < n; i++) for (let j = 0; j < kk; j++) u[i * k + j] = ud[i * w + j]!;
  }
  const factor = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) factor[i * k + j] = u[i * k + j]! * Math.sqrt(lam[j]!);
  return { u: tensor(u, [n, k]), lambda: tensor(lam, [k]), factor: tensor(factor, [n, k]) };
}
