// Exact 1-D optimal transport by sorting: W_p^p = ∫₀¹ |F⁻¹(t) − G⁻¹(t)|^p dt, evaluated by merging
// the two quantile functions (Peyré & Cuturi 2019, Remark 2.30; POT's wasserstein_1d).
// O((n + m) log(n + m)); differentiable w.r.t. the sample positions.
import {
  asTensor,
  customVjp,
  fromData,
  ShapeError,
  scalarTensor,
  type Tensor,
  type TensorLike,
  ValueError,
} from "@x/tensor";
import { checkMarginal, checkPositive, vec } from "./internal/validate.js";

/** W_p^p and its gradient w.r.t. the positions u and v (weights are normalised to mass 1). */
export function w1dArrays(
  u: Float64Array,
  v: Float64Array,
  uw: Float64Array,
  vw: Float64Array,
  p: number,
): { value: number; gu: Float64Array; gv: Float64Array } {
  const iu = Array.from(u.keys()).sort((x, y) => u[x]! - u[y]!);
  const iv = Array.from(v.keys()).sort((x, y) => v[x]! - v[y]!);
  let su = 0;
  let sv = 0;
  for (const w of uw) su += w;
  for (const w of vw) sv += w;
  const gu = new Float64Array(u.length);
  const gv = new Float64Array(v.length);
  let i = 0;
  let j = 0;
  let cu = uw[iu[0]!]! / su;
  let cv = vw[iv[0]!]! / sv;
  let t = 0;
  let value = 0;
  while (i < iu.length && j < iv.length) {
    const next = Math.min(cu, cv);
    const delta = next - t;
    if (delta > 0) {
      const d = u[iu[i]!]! - v[iv[j]!]!;
      const ad = Math.abs(d);
      value += delta * ad ** p;
      const dg = delta * p * (p === 1 ? Math.sign(d) : ad ** (p - 1) * Math.sign(d));
      gu[iu[i]!] = gu[iu[i]!]! + dg;
      gv[iv[j]!] = gv[iv[j]!]! - dg;
    }
    t = next;
    // Advance the quantile function(s) whose step ended here; the last steps end at 1 (rounding aside).
    const endU = cu <= next;
    const endV = cv <= next;
    if (endU) {
      i++;
      if (i < iu.length) cu += uw[iu[i]!]! / su;
    }
    if (endV) {
      j++;
      if (j < iv.length) cv += vw[iv[j]!]! / sv;
    }
    if (i === iu.length - 1 && j === iv.length - 1) {
      cu = 1;
      cv = 1;
    }
  }
  return { value, gu, gv };
}

function weights(w: TensorLike | undefined, n: number, name: string): Float64Array {
  if (w === undefined || (Array.isArray(w) && w.length === 0)) return new Float64Array(n).fill(1 / n);
  const x = vec(w, name);
  if (x.length !== n) throw new ShapeError(`${name} has ${x.length} entries for ${n} samples`);
  checkMarginal(x, name);
  return x;
}

export function checkP(p: number): void {
  checkPositive(p, "p");
  if (p < 1) throw new ValueError(`p must be ≥ 1 for a Wasserstein distance, got ${p}`);
}

/**
 * W_p^p between the 1-D empirical measures Σ uWeights_i δ(u_i) and Σ vWeights_j δ(v_j) (the p-th power,
 * as POT's wasserstein_1d). Weights default to uniform and are normalised. Differentiable in u, v.
 */
export function wasserstein1d(
  u: TensorLike,
  v: TensorLike,
  uWeights?: TensorLike,
  vWeights?: TensorLike,
  p = 1,
): Tensor {
  checkP(p);
  const ut = asTensor(u, "u");
  const vt = asTensor(v, "v");
  const uv = vec(ut, "u");
  const vv = vec(vt, "v");
  if (uv.length === 0 || vv.length === 0) throw new ShapeError("u and v must have at least one sample");
  for (const [x, name] of [
    [uv, "u"],
    [vv, "v"],
  ] as const) {
    x.forEach((val, k) => {
      if (!Number.isFinite(val)) throw new ValueError(`${name} must be finite, found ${val} at entry ${k}`);
    });
  }
  const uw = weights(uWeights, uv.length, "uWeights");
  const vw = weights(vWeights, vv.length, "vWeights");
  const f = customVjp(
    (a: Tensor, b: Tensor) => scalarTensor(w1dArrays(a.data, b.data, uw, vw, p).value),
    (a: Tensor, b: Tensor) => {
      const r = w1dArrays(a.data, b.data, uw, vw, p);
      return [scalarTensor(r.value), r];
    },
    (r: ReturnType<typeof w1dArrays>, g: Tensor) => {
      const s = g.item();
      return [
        fromData(
          r.gu.map((x) => x * s),
          [r.gu.length],
        ),
        fromData(
          r.gv.map((x) => x * s),
          [r.gv.length],
        ),
      ];
    },
  );
  return f(ut, vt);
}
