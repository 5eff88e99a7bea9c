// The bilevel page's problem (shared with the browser test): ridge regression on seeded data, 40
// training and 40 validation rows, 12 features of which 4 matter, noise σ = 1.5.
import * as B from "@x/bilevel";
import * as X from "@x/tensor";

export function ridgeData(seed: number): B.RidgeProblem {
  const [k1, k2, k3, k4, k5] = X.split(X.rng(seed), 5) as [X.Key, X.Key, X.Key, X.Key, X.Key];
  const d = 12;
  const w = X.mul(X.normal(k1, [d]), X.tensor(Array.from({ length: d }, (_, j) => (j < 4 ? 1 : 0))));
  const Xtr = X.normal(k2, [40, d]);
  const Xval = X.normal(k3, [40, d]);
  const ytr = X.add(X.matmul(Xtr, w), X.normal(k4, [40], 0, 1.5));
  const yval = X.add(X.matmul(Xval, w), X.normal(k5, [40], 0, 1.5));
  return B.ridgeProblem(Xtr, ytr, Xval, yval);
}
