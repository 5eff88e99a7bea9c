// Infinite-width kernels of fully connected networks in the NTK parametrisation
// h¹ = σ_w/√d·W¹x + σ_b·b¹, hˡ⁺¹ = σ_w/√n·Wˡ⁺¹φ(hˡ) + σ_b·bˡ⁺¹ (Jacot, Gabriel & Hongler, NeurIPS 2018; Lee et al.,
// "Deep Neural Networks as Gaussian Processes", ICLR 2018; Arora et al., NeurIPS 2019, eqs. 9–11):
//   Σ⁰ = σ_w²⟨x, x'⟩/d + σ_b²,  Θ⁰ = Σ⁰,
//   Σˡ = σ_w² E[φ(u)φ(v)] + σ_b²,  Σ̇ˡ = σ_w² E[φ'(u)φ'(v)],  (u, v) ~ N(0, Σˡ⁻¹ on {x, x'}),
//   Θˡ = Σˡ + Θˡ⁻¹·Σ̇ˡ,
// for `depth` hidden layers; NNGP = Σᴸ, NTK = Θᴸ. Gaussian expectations in closed form: ReLU by the arc-cosine
// kernel (Cho & Saul, NIPS 2009), erf by Williams ("Computing with Infinite Networks", NIPS 1997).
import { fromData, type Tensor, type TensorLike, ValueError } from "@x/tensor";
import { asInputs, checkSameDim } from "./kernel.js";

export type Activation = "relu" | "erf";

export interface InfiniteWidthOptions {
  /** Number of hidden layers L ≥ 0 (0: a linear model). */
  depth: number;
  activation?: Activation;
  /** Weight variance σ_w² (default 1; 2 keeps ReLU pre-activation scale). */
  weightVariance?: number;
  /** Bias variance σ_b² (default 0). */
  biasVariance?: number;
}

export interface InfiniteWidthKernels {
  nngp: Tensor;
  ntk: Tensor;
}

/** E[φ(u)φ(v)] and E[φ'(u)φ'(v)] for (u, v) ~ N(0, [[a, c], [c, b]]). */
function expectations(act: Activation, a: number, b: number, c: number): [number, number] {
  if (act === "relu") {
    const s = Math.sqrt(a * b);
    if (s === 0) return [0, 0.25];
    const cos = Math.min(1, Math.max(-1, c / s));
    const th = Math.acos(cos);
    return [(s / (2 * Math.PI)) * (Math.sin(th) + (Math.PI - th) * cos), (Math.PI - th) / (2 * Math.PI)];
  }
  const pa = 1 + 2 * a;
  const pb = 1 + 2 * b;
  const e = (2 / Math.PI) * Math.asin(Math.min(1, Math.max(-1, (2 * c) / Math.sqrt(pa * pb))));
  const ed = 4 / Math.PI / Math.sqrt(Math.max(pa * pb - 4 * c * c, Number.MIN_VALUE));
  return [e, ed];
}

/** Analytic NNGP and NTK matrices k(x, y) [n, m] of a fully connected network with scalar output. */
export function infiniteWidthKernels(
  x: TensorLike,
  y: TensorLike | undefined,
  opts: InfiniteWidthOptions,
): InfiniteWidthKernels {
  const X = asInputs(x, "x");
  const Y = y === undefined ? X : asInputs(y, "y");
  checkSameDim(X, Y, "infiniteWidthKernels");
  const { depth, activation = "relu", weightVariance: sw = 1, biasVariance: sb = 0 } = opts;
  if (!(Number.isInteger(depth) && depth >= 0))
    throw new ValueError(`infiniteWidthKernels: depth must be an integer ≥ 0, got ${depth}`);
  if (!(Number.isFinite(sw) && sw > 0))
    throw new ValueError(`infiniteWidthKernels: weightVariance must be > 0, got ${sw}`);
  if (!(Number.isFinite(sb) && sb >= 0))
    throw new ValueError(`infiniteWidthKernels: biasVariance must be ≥ 0, got ${sb}`);
  if (activation !== "relu" && activation !== "erf") {
    throw new ValueError(`infiniteWidthKernels: activation must be "relu" or "erf", got ${String(activation)}`);
  }
  const [n, d] = X.shape as [number, number];
  const m = Y.shape[0]!;
  const xd = X.data;
  const yd = Y.data;
  const dot = (u: Float64Array, i: number, v: Float64Array, j: number) => {
    let s = 0;
    for (let k = 0; k < d; k++) s += u[i * d + k]! * v[j * d + k]!;
    return s;
  };
  // Layer-0 covariances: cross [n, m] and the two diagonals.
  let S = new Float64Array(n * m);
  let sx = new Float64Array(n);
  let sy = new Float64Array(m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) S[i * m + j] = (sw * dot(xd, i, yd, j)) / d + sb;
  for (let i = 0; i < n; i++) sx[i] = (sw * dot(xd, i, xd, i)) / d + sb;
  for (let j = 0; j < m; j++) sy[j] = (sw * dot(yd, j, yd, j)) / d + sb;
  const T = Float64Array.from(S);
  for (let l = 0; l < depth; l++) {
    const S2 = new Float64Array(n * m);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) {
        const [e, ed] = expectations(activation, sx[i]!, sy[j]!, S[i * m + j]!);
        S2[i * m + j] = sw * e + sb;
        T[i * m + j] = S2[i * m + j]! + T[i * m + j]! * sw * ed;
      }
    }
    sx = sx.map((v) => sw * expectations(activation, v, v, v)[0] + sb);
    sy = sy.map((v) => sw * expectations(activation, v, v, v)[0] + sb);
    S = S2;
  }
  return { nngp: fromData(S, [n, m]), ntk: fromData(T, [n, m]) };
}
