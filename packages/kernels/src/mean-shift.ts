// Mean-shift mode finding with a Gaussian kernel (Fukunaga & Hostetler 1975; Comaniciu & Meer, IEEE TPAMI 2002):
// x ← Σᵢ wᵢxᵢ / Σᵢ wᵢ, wᵢ = exp(−‖x − xᵢ‖²/(2h²)) — a fixed-point iteration that never decreases the KDE (Comaniciu &
// Meer, Theorem 1). Weights are computed as softmax of log-weights so distant starts do not underflow to 0/0.
import { fromData, type Tensor, type TensorLike, ValueError } from "@x/tensor";
import { asInputs, checkSameDim } from "./kernel.js";

export interface MeanShiftOptions {
  bandwidth: number;
  /** Starting points (default: the data). */
  starts?: TensorLike;
  tol?: number;
  maxIter?: number;
}

export interface MeanShiftResult {
  /** Converged positions of every start [m, d]. */
  points: Tensor;
  /** Distinct modes (positions merged within bandwidth/10) [k, d]. */
  modes: Tensor;
  /** Mode index of each start. */
  labels: number[];
  converged: boolean;
  iterations: number;
}

export function meanShift(data: TensorLike, opts: MeanShiftOptions): MeanShiftResult {
  const X = asInputs(data, "data");
  const h = opts.bandwidth;
  if (!(Number.isFinite(h) && h > 0)) throw new ValueError(`meanShift: bandwidth must be > 0, got ${h}`);
  const S = opts.starts === undefined ? X : asInputs(opts.starts, "starts");
  checkSameDim(X, S, "meanShift");
  const tol = opts.tol ?? 1e-8 * h;
  const maxIter = opts.maxIter ?? 500;
  const [n, d] = X.shape as [number, number];
  const m = S.shape[0]!;
  const x = X.data;
  const p = Float64Array.from(S.data);
  const active = new Array<boolean>(m).fill(true);
  const lw = new Float64Array(n);
  let iterations = 0;
  for (; iterations < maxIter && active.some(Boolean); iterations++) {
    for (let s = 0; s < m; s++) {
      if (!active[s]) continue;
      let mx = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < n; i++) {
        let r2 = 0;
        for (let j = 0; j < d; j++) r2 += (p[s * d + j]! - x[i * d + j]!) ** 2;
        lw[i] = -r2 / (2 * h * h);
        if (lw[i]! > mx) mx = lw[i]!;
      }
      const next = new Float64Array(d);
      let z = 0;
      for (let i = 0; i < n; i++) {
        const w = Math.exp(lw[i]! - mx);
        z += w;
        for (let j = 0; j < d; j++) next[j] = next[j]! + w * x[i * d + j]!;
      }
      let step = 0;
      for (let j = 0; j < d; j++) {
        const v = next[j]! / z;
        step += (v - p[s * d + j]!) ** 2;
        p[s * d + j] = v;
      }
      if (Math.sqrt(step) <= tol) active[s] = false;
    }
  }
  const modes: number[][] = [];
  const labels: number[] = [];
  for (let s = 0; s < m; s++) {
    const pt = Array.from(p.subarray(s * d, (s + 1) * d));
    let found = modes.findIndex((q) => Math.hypot(...q.map((v, j) => v - pt[j]!)) <= h / 10);
    if (found < 0) {
      modes.push(pt);
      found = modes.length - 1;
    }
    labels.push(found);
  }
  return {
    points: fromData(p, [m, d]),
    modes: fromData(Float64Array.from(modes.flat()), [modes.length, d]),
    labels,
    converged: !active.some(Boolean),
    iterations,
  };
}
