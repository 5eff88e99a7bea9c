// The two half-steps of Sinkhorn's matrix scaling on an explicit kernel K (n1×n2, row-major), shared by the
// plain (sinkhorn-knopp.ts) and the absorbing (sinkhorn-stabilized.ts) variants: u = a / K v, and Kᵀu with the
// column-marginal error of diag(u) K diag(v) that decides convergence (Cuturi 2013; Schmitzer 2019).
import { marginalError } from "../sinkhorn-types.js";

/** u ← a / (K v); returns false when some uᵢ is not finite (K v underflowed to 0, or overflowed). */
export function scaleRows(K: Float64Array, v: Float64Array, a: Float64Array, u: Float64Array): boolean {
  const n1 = a.length;
  const n2 = v.length;
  let finite = true;
  for (let i = 0; i < n1; i++) {
    const o = i * n2;
    let kv = 0;
    for (let j = 0; j < n2; j++) kv += K[o + j]! * v[j]!;
    u[i] = a[i]! / kv;
    if (!Number.isFinite(u[i]!)) finite = false;
  }
  return finite;
}

/** ktu ← Kᵀu; returns ‖v ∘ Kᵀu − b‖₂, the error of the plan's column marginal (s is scratch of length n2). */
export function columnMarginalError(
  K: Float64Array,
  u: Float64Array,
  v: Float64Array,
  b: Float64Array,
  ktu: Float64Array,
  s: Float64Array,
): number {
  const n1 = u.length;
  const n2 = v.length;
  ktu.fill(0);
  for (let i = 0; i < n1; i++) {
    const ui = u[i]!;
    const o = i * n2;
    for (let j = 0; j < n2; j++) ktu[j] = ktu[j]! + ui * K[o + j]!;
  }
  for (let j = 0; j < n2; j++) s[j] = v[j]! * ktu[j]!;
  return marginalError(s, b);
}
