// Sketch-and-project: x ← x − Aᵀ S (SᵀA AᵀS)⁺ Sᵀ(Ax − b) with a fresh random sketch S each step
// (Gower & Richtárik, SIAM J. Matrix Anal. Appl. 36(4), 2015), Gaussian or row-block sketches.
import { foldIn, type LinearOperator, normal, permutation, type TensorLike, tensor, ValueError } from "@x/tensor";
import { keyOf } from "../spectral/common.js";
import { jacobiEig } from "../spectral/jacobi-eig.js";
import { type RowActionOptions, type RowActionResult, resNorm, rowSetup } from "./randomized-kaczmarz.js";

export interface SketchAndProjectOptions extends RowActionOptions {
  /** Number of sketch columns q (default min(m, 10)). */
  sketchSize?: number;
  /** 'gaussian' (dense S) or 'rows' (S selects q random rows: randomized block Kaczmarz). Default 'rows'. */
  sketch?: "gaussian" | "rows";
}

/** Solves a consistent A x = b by sketch-and-project; checkEvery defaults to 1 (each step is a block). */
export function sketchAndProject(
  A: LinearOperator | TensorLike,
  b: TensorLike,
  opts: SketchAndProjectOptions = {},
): RowActionResult {
  const fn = "sketchAndProject";
  const { a, b: bb, m, n, x } = rowSetup(A, b, opts.x0, fn);
  const q = opts.sketchSize ?? Math.min(m, 10);
  if (!Number.isInteger(q) || q < 1 || q > m)
    throw new ValueError(`${fn}: sketchSize must be an integer in [1, ${m}], got ${q}`);
  const kind = opts.sketch ?? "rows";
  if (kind !== "rows" && kind !== "gaussian") throw new ValueError(`${fn}: sketch must be 'rows' or 'gaussian'`);
  const tol = opts.tol ?? 1e-8;
  const maxIter = opts.maxIter ?? 100 * Math.ceil(m / q);
  const every = opts.checkEvery ?? 1;
  const key = keyOf(opts);
  const bnorm = Math.sqrt(bb.reduce((s, v) => s + v * v, 0));
  const target = tol * (bnorm || 1);
  const residualNorms = [resNorm(a, bb, x, m, n)];
  let converged = residualNorms[0]! <= target;
  let it = 0;
  const SA = new Float64Array(q * n);
  const Sb = new Float64Array(q);
  while (!converged && it < maxIter) {
    const k = foldIn(key, it);
    SA.fill(0);
    Sb.fill(0);
    if (kind === "rows") {
      const rows = permutation(k, m).data;
      for (let t = 0; t < q; t++) {
        const i = rows[t]!;
        for (let j = 0; j < n; j++) SA[t * n + j] = a[i * n + j]!;
        Sb[t] = bb[i]!;
      }
    } else {
      const S = normal(k, [q, m]).data;
      for (let t = 0; t < q; t++) {
        for (let i = 0; i < m; i++) {
          const s = S[t * m + i]!;
          for (let j = 0; j < n; j++) SA[t * n + j]! += s * a[i * n + j]!;
          Sb[t]! += s * bb[i]!;
        }
      }
    }
    // r_s = SᵀA x − Sᵀb; G = (SᵀA)(SᵀA)ᵀ; y = G⁺ r_s via a small symmetric eigensolve (G may be singular).
    const rs = new Float64Array(q);
    for (let t = 0; t < q; t++) {
      let s = -Sb[t]!;
      for (let j = 0; j < n; j++) s += SA[t * n + j]! * x[j]!;
      rs[t] = s;
    }
    const G = new Float64Array(q * q);
    for (let i = 0; i < q; i++) {
      for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let c = 0; c < n; c++) s += SA[i * n + c]! * SA[j * n + c]!;
        G[i * q + j] = s;
        G[j * q + i] = s;
      }
    }
    const { values, vectors } = jacobiEig(G, q);
    const cut = 1e-12 * Math.max(values[q - 1]!, Number.MIN_VALUE);
    const y = new Float64Array(q);
    for (let e = 0; e < q; e++) {
      if (values[e]! <= cut) continue;
      let c = 0;
      for (let t = 0; t < q; t++) c += vectors[e * q + t]! * rs[t]!;
      c /= values[e]!;
      for (let t = 0; t < q; t++) y[t]! += c * vectors[e * q + t]!;
    }
    for (let t = 0; t < q; t++) {
      const yt = y[t]!;
      for (let j = 0; j < n; j++) x[j]! -= yt * SA[t * n + j]!;
    }
    it++;
    if (it % every === 0 || it === maxIter) {
      const rn = resNorm(a, bb, x, m, n);
      if (!Number.isFinite(rn)) throw new ValueError(`${fn}: iteration diverged (non-finite residual)`);
      residualNorms.push(rn);
      converged = rn <= target;
    }
  }
  return { x: tensor(x, [n]), converged, iterations: it, residualNorms };
}
