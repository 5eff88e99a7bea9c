// Kernel thinning (Dwivedi & Mackey, "Kernel Thinning", COLT 2021, Alg. 1; "Generalized Kernel Thinning", ICLR 2022):
// KT-SPLIT halves the input m times with a self-balancing signed walk in the RKHS (Alweiss, Liu & Sawhney 2021),
// producing 2^m candidate coresets of size n/2^m; KT-SWAP picks the candidate (or the standard-thinning baseline
// x₂^m, x₂·₂^m, …) closest in MMD to the input and greedily swaps each point for the input point that most reduces
// MMD. Works on the full Gram matrix (O(n²) memory).
import { rng, split, type TensorLike, uniformArray, ValueError } from "@x/tensor";
import { asInputs, type Kernel } from "./kernel.js";

export interface KernelThinningOptions {
  /** Number of halving rounds m: the output has ⌊n/2^m⌋ points. */
  rounds: number;
  /** Failure probability δ of the split thresholds (default 0.5, as goodpoints). */
  delta?: number;
  seed?: number;
  /** Run KT-SWAP refinement (default true). */
  swap?: boolean;
}

export interface KernelThinningResult {
  /** Indices into the input of the coreset points (may repeat after swaps). */
  indices: number[];
  /** MMD² between the coreset and the input (biased, uniform weights). */
  mmd2: number;
  /** MMD² of the chosen candidate before swapping. */
  mmd2BeforeSwap: number;
}

/** One KT-SPLIT halving of `idx` into two coresets (Alg. 1a with δᵢ = δ/n). */
function halve(
  K: Float64Array,
  N: number,
  idx: number[],
  delta: number,
  nTotal: number,
  u: Float64Array,
): [number[], number[]] {
  const a: number[] = [];
  const b: number[] = [];
  let sig2 = 0;
  const logTerm = 2 * Math.log((2 * nTotal) / delta);
  for (let i = 0; i + 1 < idx.length; i += 2) {
    const x1 = idx[i]!;
    const x2 = idx[i + 1]!;
    const b2 = K[x1 * N + x1]! + K[x2 * N + x2]! - 2 * K[x1 * N + x2]!;
    // α = ⟨ψ, k(x1,·) − k(x2,·)⟩ with ψ = Σ_{a} k(p,·) − Σ_{b} k(q,·).
    let alpha = 0;
    for (const p of a) alpha += K[p * N + x1]! - K[p * N + x2]!;
    for (const q of b) alpha -= K[q * N + x1]! - K[q * N + x2]!;
    const thresh = Math.max(Math.sqrt(b2 * sig2 * logTerm), b2);
    const prob1 = thresh > 0 ? 0.5 * (1 - alpha / thresh) : 0.5;
    if (thresh > 0) sig2 += b2 + Math.max(0, (b2 * (b2 - 2 * alpha) * sig2) / (thresh * thresh));
    if (u[i >> 1]! <= prob1) {
      a.push(x1);
      b.push(x2);
    } else {
      a.push(x2);
      b.push(x1);
    }
  }
  return [a, b];
}

/** Biased MMD² of multiset S against the whole input (rowMean[i] = mean_j K[i, j], total = mean K). */
export function coresetMmd2(K: Float64Array, N: number, S: number[], rowMean: Float64Array, total: number): number {
  let ss = 0;
  let sp = 0;
  for (const i of S) {
    for (const j of S) ss += K[i * N + j]!;
    sp += rowMean[i]!;
  }
  const s = S.length;
  return ss / (s * s) - (2 * sp) / s + total;
}

export function kernelThinning(kernel: Kernel, x: TensorLike, opts: KernelThinningOptions): KernelThinningResult {
  const X = asInputs(x, "x");
  const N = X.shape[0]!;
  const m = opts.rounds;
  if (!(Number.isInteger(m) && m >= 1 && 2 ** m <= N)) {
    throw new ValueError(`kernelThinning: rounds must be an integer with 1 ≤ rounds and 2^rounds ≤ n = ${N}, got ${m}`);
  }
  const delta = opts.delta ?? 0.5;
  if (!(delta > 0 && delta < 1)) throw new ValueError(`kernelThinning: delta must be in (0, 1), got ${delta}`);
  const K = kernel.k(X).data;
  const rowMean = new Float64Array(N);
  let total = 0;
  for (let i = 0; i < N; i++) {
    let s = 0;
    for (let j = 0; j < N; j++) s += K[i * N + j]!;
    rowMean[i] = s / N;
    total += s / (N * N);
  }
  // KT-SPLIT: breadth-first halving of every coreset, m rounds.
  let key = rng(opts.seed ?? 0);
  let sets: number[][] = [Array.from({ length: N - (N % 2 ** m) }, (_, i) => i)];
  for (let r = 0; r < m; r++) {
    const keys = split(key, sets.length + 1);
    key = keys[sets.length]!;
    sets = sets.flatMap((s, j) => halve(K, N, s, delta, N, uniformArray(keys[j]!, s.length)));
  }
  // Baseline: standard thinning (every 2^m-th point).
  const step = 2 ** m;
  const baseline = Array.from({ length: Math.floor(N / step) }, (_, i) => (i + 1) * step - 1);
  let best = baseline;
  let bestMmd = coresetMmd2(K, N, baseline, rowMean, total);
  for (const s of sets) {
    const v = coresetMmd2(K, N, s, rowMean, total);
    if (v < bestMmd) {
      best = s;
      bestMmd = v;
    }
  }
  const before = bestMmd;
  const S = [...best];
  if (opts.swap ?? true) {
    const s = S.length;
    // g[c] = Σ_{j∈S} K[c, j]; SS = Σ_{i,j∈S} K[i, j].
    const g = new Float64Array(N);
    for (const j of S) for (let c = 0; c < N; c++) g[c] = g[c]! + K[c * N + j]!;
    let ss = 0;
    for (const i of S) ss += g[i]!;
    let sp = 0;
    for (const i of S) sp += rowMean[i]!;
    for (let p = 0; p < s; p++) {
      const a = S[p]!;
      // Remove a: SS₋ = SS − 2g[a] + K[a,a]; g₋ = g − K[:, a]. Then adding c gives SS₋ + 2g₋[c] + K[c,c].
      const ssMinus = ss - 2 * g[a]! + K[a * N + a]!;
      const spMinus = sp - rowMean[a]!;
      let bestC = a;
      let bestVal = Number.POSITIVE_INFINITY;
      for (let c = 0; c < N; c++) {
        const gm = g[c]! - K[c * N + a]!;
        const val = (ssMinus + 2 * gm + K[c * N + c]!) / (s * s) - (2 * (spMinus + rowMean[c]!)) / s;
        if (val < bestVal) {
          bestVal = val;
          bestC = c;
        }
      }
      if (bestC !== a) {
        for (let c = 0; c < N; c++) g[c] = g[c]! - K[c * N + a]! + K[c * N + bestC]!;
        ss = ssMinus + 2 * (g[bestC]! - K[bestC * N + bestC]!) + K[bestC * N + bestC]!;
        sp = spMinus + rowMean[bestC]!;
        S[p] = bestC;
      }
    }
  }
  return { indices: S, mmd2: coresetMmd2(K, N, S, rowMean, total), mmd2BeforeSwap: before };
}
