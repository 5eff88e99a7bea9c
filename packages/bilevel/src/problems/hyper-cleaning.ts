// Data hyper-cleaning (Franceschi et al., "Forward and reverse gradient-based hyperparameter
// optimization", ICML 2017; the benchmark of BO-REP and benchopt): a share of the training labels is
// corrupted and one weight σ(λᵢ) per training example is learnt so that the weighted fit is good on
// clean validation data. Binary logistic model on a small synthetic Gaussian set:
//   g(w, λ) = Σᵢ σ(λᵢ) log(1 + exp(−yᵢ xᵢᵀw)) + ½ reg ‖w‖²,   f(w) = Σ validation log-losses.
import {
  add,
  matmul,
  mul,
  neg,
  normal,
  rng,
  sigmoid,
  softplus,
  split,
  square,
  sum,
  type Tensor,
  take,
  tensor,
  ValueError,
  zeros,
} from "@x/tensor";
import { logLoss } from "./logistic.js";
import type { BilevelProblem } from "./types.js";

export interface HyperCleaningOptions {
  nTrain?: number;
  nVal?: number;
  /** Features (default 5). */
  d?: number;
  /** Share of corrupted (flipped) training labels (default 0.3). */
  corruption?: number;
  /** Inner ℓ2 strength (default 0.1). */
  reg?: number;
  seed?: number;
}

export interface HyperCleaningProblem extends BilevelProblem {
  /** Which training labels were flipped (1) or kept (0). */
  corrupted: number[];
  /** Validation accuracy of w (share of correct signs). */
  accuracy(w: Tensor): number;
}

export function hyperCleaningProblem(options: HyperCleaningOptions = {}): HyperCleaningProblem {
  const { nTrain = 40, nVal = 40, d = 5, corruption = 0.3, reg = 0.1, seed = 0 } = options;
  for (const [k, v] of Object.entries({ nTrain, nVal, d })) {
    if (!Number.isInteger(v) || v < 1) throw new ValueError(`hyperCleaning: ${k} must be a positive integer, got ${v}`);
  }
  if (!(corruption >= 0 && corruption < 1))
    throw new ValueError(`hyperCleaning: corruption must be in [0, 1), got ${corruption}`);
  if (!(reg > 0)) throw new ValueError(`hyperCleaning: reg must be > 0, got ${reg}`);
  const [kw, kx, kv, kf] = split(rng(seed), 4) as [
    ReturnType<typeof rng>,
    ReturnType<typeof rng>,
    ReturnType<typeof rng>,
    ReturnType<typeof rng>,
  ];
  const wTrue = normal(kw, [d]);
  const Xtr = normal(kx, [nTrain, d]);
  const Xv = normal(kv, [nVal, d]);
  const flip = normal(kf, [nTrain]).data;
  const labels = (Xm: Tensor) => Array.from(matmul(Xm, wTrue).data, (v) => (v >= 0 ? 1 : -1));
  // Flip the labels whose Gaussian draw falls in the top `corruption` quantile (deterministic in seed).
  const sorted = Array.from(flip).sort((a, b) => b - a);
  const cut = corruption === 0 ? Number.POSITIVE_INFINITY : sorted[Math.max(0, Math.round(corruption * nTrain) - 1)]!;
  const corrupted = Array.from(flip, (v) => (v >= cut ? 1 : 0));
  const ytr = tensor(labels(Xtr).map((v, i) => (corrupted[i] ? -v : v)));
  const yv = tensor(labels(Xv));
  let fro = 0;
  for (const v of Xtr.data) fro += v * v;
  return {
    name: "hyper-cleaning",
    inner: (w, lam) =>
      add(sum(mul(sigmoid(lam), softplus(neg(mul(ytr, matmul(Xtr, w)))))), mul(0.5 * reg, sum(square(w)))),
    outer: (w) => logLoss(Xv, yv, w),
    x0: zeros([d]),
    lambda0: zeros([nTrain]),
    innerLipschitz: fro / 4 + reg,
    batch: {
      nInner: nTrain,
      nOuter: nVal,
      // (n/|B|) Σ_{i∈B} σ(λᵢ) ℓᵢ(w) + ½ reg ‖w‖²: the weights λᵢ of the drawn examples only.
      inner: (w, lam, idx) =>
        add(
          mul(
            nTrain / idx.length,
            sum(mul(sigmoid(take(lam, idx)), softplus(neg(mul(take(ytr, idx), matmul(take(Xtr, idx), w)))))),
          ),
          mul(0.5 * reg, sum(square(w))),
        ),
      outer: (w, _lam, idx) => mul(nVal / idx.length, logLoss(take(Xv, idx), take(yv, idx), w)),
    },
    corrupted,
    accuracy: (w) => {
      const m = mul(yv, matmul(Xv, w)).data;
      return m.filter((v) => v > 0).length / m.length;
    },
  };
}
