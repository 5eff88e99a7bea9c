// The OT page's seeded inputs (shared with the browser test, which recomputes the costs in Node):
// a Gaussian blob and a noisy ring, uniform weights.
import * as X from "@x/tensor";

export function otClouds(n: number, seed: number): { xs: number[][]; ys: number[][] } {
  const [k1, k2, k3] = X.split(X.rng(seed), 3) as [X.Key, X.Key, X.Key];
  const blob = X.normal(k1, [n, 2], 0, 0.45).toArray() as number[][];
  const xs = blob.map(([u, v]) => [u! - 1.6, v!]);
  const angle = X.uniform(k2, [n], 0, 2 * Math.PI).data;
  const noise = X.normal(k3, [n, 2], 0, 0.08).data;
  const ys = Array.from(angle, (t, i) => [1.4 + Math.cos(t) + noise[2 * i]!, Math.sin(t) + noise[2 * i + 1]!]);
  return { xs, ys };
}
