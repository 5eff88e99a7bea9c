// CANDECOMP/PARAFAC by alternating least squares (Carroll & Chang 1970; Harshman 1970; as in
// Kolda & Bader, "Tensor decompositions and applications", SIAM Review 51 (2009), Fig. 3.3):
//   A_n ← X_(n) (A_{N−1} ⊙ ⋯ ⊙ A_{n+1} ⊙ A_{n−1} ⊙ ⋯ ⊙ A_0) V⁺,  V = ∗_{k≠n} A_kᵀA_k,
// then columns normalised into the weights λ. fit = 1 − ‖X − X̂‖/‖X‖; stop when it changes < tol.
import {
  add,
  asTensor,
  concat,
  div,
  type Key,
  matmul,
  mT,
  mul,
  normal,
  reshape,
  rng,
  slice,
  split,
  sqrt,
  sub,
  sum,
  type Tensor,
  type TensorLike,
  tensor,
  ValueError,
} from "@x/tensor";
import { pinv } from "../dense/pinv.js";
import { svd } from "../dense/svd.js";
import { fold, unfold } from "./mode-n.js";

export interface CpAlsOptions {
  /** Sweep cap (default 500). */
  maxIter?: number;
  /** Stop when |fit_k − fit_{k−1}| < tol (default 1e-10). */
  tol?: number;
  /** RNG key for the Gaussian initial factors (default rng(0)). */
  key?: Key;
  /**
   * 'svd' (default): A_n = leading left singular vectors of X_(n) (Tensor Toolbox's 'nvecs'), padded with
   * Gaussian columns when R > I_n; 'random': Gaussian factors from `key`.
   */
  init?: "svd" | "random";
  /** Extrapolation line search after each sweep (Bro 1998). Default true. */
  lineSearch?: boolean;
}

export interface CpAlsResult {
  /** λ [R]: column norms moved out of the factors. */
  weights: Tensor;
  /** A_n [I_n, R] with unit-norm columns. */
  factors: Tensor[];
  converged: boolean;
  iterations: number;
  /** fit after every sweep. */
  fitHistory: number[];
}

/** Khatri–Rao product (column-wise Kronecker) of mats in order: the last matrix's row index varies fastest. */
export function khatriRao(mats: readonly Tensor[]): Tensor {
  const R = mats[0]!.shape[1]!;
  let acc = mats[0]!;
  for (let k = 1; k < mats.length; k++) {
    const B = mats[k]!;
    const [p, q] = [acc.shape[0]!, B.shape[0]!];
    acc = reshape(mul(reshape(acc, [p, 1, R]), reshape(B, [1, q, R])), [p * q, R]);
  }
  return acc;
}

/** X̂ = Σ_r λ_r a_0r ∘ a_1r ∘ ⋯ (a Kruskal tensor) as a dense tensor. */
export function cpToTensor(weights: TensorLike, factors: readonly Tensor[]): Tensor {
  const w = asTensor(weights, "weights");
  const shape = factors.map((f) => f.shape[0]!);
  const others = factors.slice(1).reverse();
  const kr = others.length > 0 ? khatriRao(others) : null;
  const a0 = mul(factors[0]!, reshape(w, [1, -1]));
  return kr
    ? fold(matmul(a0, mT(kr)), 0, shape)
    : reshape(matmul(a0, tensor(new Float64Array(w.size).fill(1), [w.size, 1])), shape);
}

const normOf = (t: Tensor): number => {
  let s = 0;
  for (const v of t.data) s += v * v;
  return Math.sqrt(s);
};

/** Rank-R CP decomposition of x by ALS with seeded Gaussian initialisation. */
export function cpAls(x: TensorLike, rank: number, options: CpAlsOptions = {}): CpAlsResult {
  const X = asTensor(x, "x");
  const { maxIter = 500, tol = 1e-10, key = rng(0), init = "svd", lineSearch = true } = options;
  if (init !== "svd" && init !== "random")
    throw new ValueError(`cpAls: options.init must be 'svd' or 'random', got ${String(init)}`);
  if (X.rank < 2) throw new ValueError(`cpAls: x must have at least 2 modes, got shape [${X.shape}]`);
  if (!Number.isInteger(rank) || rank < 1) throw new ValueError(`cpAls: rank must be a positive integer, got ${rank}`);
  if (!(Number.isInteger(maxIter) && maxIter >= 1))
    throw new ValueError(`cpAls: options.maxIter must be a positive integer, got ${maxIter}`);
  if (!(tol >= 0)) throw new ValueError(`cpAls: options.tol must be ≥ 0, got ${tol}`);
  const N = X.rank;
  const normX = normOf(X);
  if (normX === 0) throw new ValueError("cpAls: x is the zero tensor");
  const unfoldings = Array.from({ length: N }, (_, n) => unfold(X, n));
  const keys = split(key, N);
  const A: Tensor[] = X.shape.map((d, n) => {
    const g = normal(keys[n]!, [d, rank]);
    if (init === "random") return g;
    const k = Math.min(rank, d);
    const u = slice(svd(unfoldings[n]!, { fullMatrices: true }).u, [null, [0, k]]);
    return k === rank ? u : concat([u, slice(g, [null, [k, rank]])], 1);
  });
  let weights = tensor(new Float64Array(rank).fill(1), [rank]);
  const fitHistory: number[] = [];
  let converged = false;
  let it = 0;
  let prevFull: Tensor[] | null = null;
  while (it < maxIter) {
    it++;
    for (let n = 0; n < N; n++) {
      const others = A.filter((_, k) => k !== n).reverse();
      // Hadamard product of the other factors' Gram matrices (R×R).
      let V = tensor(new Float64Array(rank * rank).fill(1), [rank, rank]);
      for (let k = 0; k < N; k++) if (k !== n) V = mul(V, matmul(mT(A[k]!), A[k]!));
      const An = matmul(matmul(unfoldings[n]!, khatriRao(others)), pinv(V));
      // Unit-norm columns keep the factors bounded; the scale moves into the weights.
      const d = An.data;
      const I = An.shape[0]!;
      const lam = new Float64Array(rank);
      for (let r = 0; r < rank; r++) {
        let s = 0;
        for (let i = 0; i < I; i++) s += d[i * rank + r]! ** 2;
        lam[r] = Math.sqrt(s);
      }
      const scaled = new Float64Array(d.length);
      for (let i = 0; i < I; i++)
        for (let r = 0; r < rank; r++) scaled[i * rank + r] = lam[r]! > 0 ? d[i * rank + r]! / lam[r]! : 0;
      A[n] = tensor(scaled, [I, rank]);
      weights = tensor(lam, [rank]);
    }
    let fit = 1 - normOf(sub2(X, cpToTensor(weights, A))) / normX;
    // Extrapolation line search (Bro 1998; step it^{1/3}): jump along the last sweep's change and keep
    // the jump only if it fits better. It shortens the long "swamps" of plain ALS.
    const full = A.map((f, n) => (n === N - 1 ? mul(f, reshape(weights, [1, rank])) : f));
    if (lineSearch && prevFull && it > 2) {
      const step = it ** (1 / 3);
      const cand = full.map((f, n) => add(prevFull![n]!, mul(step, sub(f, prevFull![n]!))));
      const ones = tensor(new Float64Array(rank).fill(1), [rank]);
      const candFit = 1 - normOf(sub2(X, cpToTensor(ones, cand))) / normX;
      if (candFit > fit) {
        const lam = new Float64Array(rank).fill(1);
        cand.forEach((f, n) => {
          const norms = sqrt(sum(mul(f, f), { axis: 0 })).data;
          const safe = Array.from(norms, (v) => (v > 0 ? v : 1));
          for (let r = 0; r < rank; r++) lam[r]! *= norms[r]!;
          A[n] = div(f, reshape(tensor(safe), [1, rank]));
        });
        weights = tensor(lam, [rank]);
        fit = candFit;
      }
    }
    prevFull = A.map((f, n) => (n === N - 1 ? mul(f, reshape(weights, [1, rank])) : f));
    if (!Number.isFinite(fit)) throw new ValueError("cpAls: the iteration produced non-finite values");
    const prev = fitHistory[fitHistory.length - 1];
    fitHistory.push(fit);
    if (prev !== undefined && Math.abs(fit - prev) < tol) {
      converged = true;
      break;
    }
  }
  return { weights, factors: A, converged, iterations: it, fitHistory };
}

const sub2 = (a: Tensor, b: Tensor): Tensor => {
  const x = a.data;
  const y = b.data;
  const r = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) r[i] = x[i]! - y[i]!;
  return tensor(r, [...a.shape]);
};
