// Kernel two-sample permutation test (Gretton et al., JMLR 2012, §5; permutation calibration as in Sutherland et
// al., ICLR 2017): the MMD² statistic of the observed split versus B random re-splits of the pooled sample, with
// p = (1 + #{MMD²_π ≥ MMD²_obs}) / (1 + B) (valid at any B). One pooled Gram matrix; permutations are seeded.
import { fromData, permutation, rng, split, type TensorLike, ValueError } from "@x/tensor";
import { asInputs, checkSameDim, type Kernel } from "./kernel.js";
import type { MmdEstimator } from "./mmd.js";

export interface PermutationTestOptions {
  numPermutations?: number;
  seed?: number;
  /** "unbiased" (default) or "biased" MMD² as the statistic. */
  estimator?: Exclude<MmdEstimator, "linear">;
}

export interface PermutationTestResult {
  statistic: number;
  pValue: number;
  /** The statistic under each permutation. */
  nullSamples: Float64Array;
}

/** MMD² of the split (first n of order | rest) from the pooled Gram G [N, N] (row-major). */
function mmdFromGram(G: Float64Array, N: number, order: ArrayLike<number>, n: number, unbiased: boolean): number {
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let a = 0; a < N; a++) {
    const i = order[a]!;
    const row = i * N;
    for (let b = 0; b < N; b++) {
      if (unbiased && a === b) continue;
      const v = G[row + order[b]!]!;
      if (a < n && b < n) sxx += v;
      else if (a >= n && b >= n) syy += v;
      else sxy += v;
    }
  }
  const m = N - n;
  if (unbiased) return sxx / (n * (n - 1)) + syy / (m * (m - 1)) - sxy / (n * m);
  return sxx / (n * n) + syy / (m * m) - sxy / (n * m);
}

export function mmdPermutationTest(
  kernel: Kernel,
  x: TensorLike,
  y: TensorLike,
  opts: PermutationTestOptions = {},
): PermutationTestResult {
  const X = asInputs(x, "x");
  const Y = asInputs(y, "y");
  checkSameDim(X, Y, "mmdPermutationTest");
  const B = opts.numPermutations ?? 500;
  if (!(Number.isInteger(B) && B >= 1))
    throw new ValueError(`mmdPermutationTest: numPermutations must be an integer ≥ 1, got ${B}`);
  const n = X.shape[0]!;
  const m = Y.shape[0]!;
  const unbiased = (opts.estimator ?? "unbiased") === "unbiased";
  if (unbiased && (n < 2 || m < 2))
    throw new ValueError(`mmdPermutationTest: needs ≥ 2 points per sample, got ${n} and ${m}`);
  const N = n + m;
  const Z = new Float64Array(N * X.shape[1]!);
  Z.set(X.data, 0);
  Z.set(Y.data, X.size);
  const G = kernel.k(fromData(Z, [N, X.shape[1]!])).data;
  const identity = Array.from({ length: N }, (_, i) => i);
  const statistic = mmdFromGram(G, N, identity, n, unbiased);
  const keys = split(rng(opts.seed ?? 0), B);
  const nullSamples = new Float64Array(B);
  let exceed = 0;
  for (let b = 0; b < B; b++) {
    nullSamples[b] = mmdFromGram(G, N, permutation(keys[b]!, N).data, n, unbiased);
    if (nullSamples[b]! >= statistic) exceed++;
  }
  return { statistic, pValue: (1 + exceed) / (1 + B), nullSamples };
}
