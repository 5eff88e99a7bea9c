// Nyström approximation K ≈ K_nm K_mm⁺ K_mn (Williams & Seeger, NIPS 2001) with uniform landmarks or landmarks drawn
// by ridge leverage scores ℓᵢ(λ) = (K(K + λI)⁻¹)ᵢᵢ (Alaoui & Mahoney, "Fast Randomized Kernel Ridge Regression
// with Statistical Guarantees", NIPS 2015), without replacement by Efraimidis–Spirakis keys uᵢ^{1/ℓᵢ}.
import { choleskySolve, eigh } from "@x/linalg";
import {
  add,
  eye,
  fromData,
  matmul,
  mul,
  rng,
  type Tensor,
  type TensorLike,
  take,
  tensor,
  transpose,
  uniformArray,
  ValueError,
} from "@x/tensor";
import { choleskyJitter } from "./jitter.js";
import { asInputs, checkSameDim, type Kernel } from "./kernel.js";

export interface NystromOptions {
  numLandmarks: number;
  sampling?: "uniform" | "leverage";
  /** Ridge λ of the leverage scores (default 1e-3·trace(K)/n). */
  lambda?: number;
  seed?: number;
  /** Eigenvalues of K_mm below rcond·λ_max are dropped (pseudo-inverse). Default 1e-10. */
  rcond?: number;
}

export interface NystromResult {
  /** Indices of the landmark rows of x. */
  landmarks: number[];
  /** Feature map φ(x) [n, r] with φ(x)φ(y)ᵀ = k(x, Z) K_ZZ⁺ k(Z, y). */
  features(x: TensorLike): Tensor;
  /** The approximation of K(x, x) on the training points [n, n]. */
  approximate(): Tensor;
  /** Ridge leverage scores (only for sampling "leverage"). */
  leverageScores?: Float64Array;
}

function weightedSampleWithoutReplacement(w: ArrayLike<number>, m: number, seed: number): number[] {
  const u = uniformArray(rng(seed), w.length);
  const keys = Array.from(w, (wi, i) => ({ i, key: wi > 0 ? Math.log(u[i]!) / wi : Number.NEGATIVE_INFINITY }));
  keys.sort((a, b) => b.key - a.key);
  return keys.slice(0, m).map((k) => k.i);
}

export function nystrom(kernel: Kernel, x: TensorLike, opts: NystromOptions): NystromResult {
  const X = asInputs(x, "x");
  const n = X.shape[0]!;
  const m = opts.numLandmarks;
  if (!(Number.isInteger(m) && m >= 1 && m <= n)) {
    throw new ValueError(`nystrom: numLandmarks must be an integer in [1, ${n}], got ${m}`);
  }
  const sampling = opts.sampling ?? "uniform";
  const seed = opts.seed ?? 0;
  let landmarks: number[];
  let leverageScores: Float64Array | undefined;
  if (sampling === "uniform") {
    landmarks = weightedSampleWithoutReplacement(new Float64Array(n).fill(1), m, seed);
  } else if (sampling === "leverage") {
    const K = kernel.k(X);
    let tr = 0;
    for (let i = 0; i < n; i++) tr += K.data[i * n + i]!;
    const lambda = opts.lambda ?? (1e-3 * tr) / n;
    if (!(Number.isFinite(lambda) && lambda > 0)) throw new ValueError(`nystrom: lambda must be > 0, got ${lambda}`);
    // diag(K (K + λI)⁻¹) = 1 − λ·diag((K + λI)⁻¹).
    const { l } = choleskyJitter(add(K, mul(lambda, eye(n))), "nystrom");
    const inv = choleskySolve(l, eye(n)).data;
    leverageScores = new Float64Array(n);
    for (let i = 0; i < n; i++) leverageScores[i] = Math.max(0, 1 - lambda * inv[i * n + i]!);
    landmarks = weightedSampleWithoutReplacement(leverageScores, m, seed);
  } else {
    throw new ValueError(`nystrom: sampling must be "uniform" or "leverage", got ${String(sampling)}`);
  }
  landmarks.sort((a, b) => a - b);
  const Z = take(X, tensor(landmarks), 0);
  const { values, vectors } = eigh(kernel.k(Z));
  const vals = values.data;
  const vmax = Math.max(...Array.from(vals));
  const cut = (opts.rcond ?? 1e-10) * vmax;
  const keep: number[] = [];
  for (let i = 0; i < m; i++) if (vals[i]! > cut) keep.push(i);
  // K_ZZ^{−1/2} restricted to the kept eigenpairs: U_r diag(λ_r^{−1/2}) [m, r].
  const r = keep.length;
  const M = new Float64Array(m * r);
  const vec = vectors.data;
  keep.forEach((c, j) => {
    const s = 1 / Math.sqrt(vals[c]!);
    for (let i = 0; i < m; i++) M[i * r + j] = vec[i * m + c]! * s;
  });
  const proj = fromData(M, [m, r]);
  const features = (xs: TensorLike) => {
    const Xs = asInputs(xs, "xs");
    checkSameDim(X, Xs, "nystrom.features");
    return matmul(kernel.k(Xs, Z), proj);
  };
  return {
    landmarks,
    features,
    approximate() {
      const F = features(X);
      return matmul(F, transpose(F));
    },
    leverageScores,
  };
}
