// The kernels page's seeded data and kernel (shared with the browser test): noisy samples of
// sin(x) + 0.3 sin(3x) on [0, 10], with a gap in the middle so the bands visibly widen there.
import * as K from "@x/kernels";
import * as X from "@x/tensor";

export function gpData(n: number, seed: number): { x: number[]; y: number[] } {
  const [k1, k2] = X.split(X.rng(seed), 2) as [X.Key, X.Key];
  const u = X.uniform(k1, [n], 0, 7).data;
  const x = Array.from(u, (v) => (v < 3.5 ? v : v + 3)).sort((a, b) => a - b);
  const e = X.normal(k2, [n], 0, 0.1).data;
  const y = x.map((v, i) => Math.sin(v) + 0.3 * Math.sin(3 * v) + e[i]!);
  return { x, y };
}

export function makeKernel(name: string, lengthscale: number, variance: number): K.Kernel {
  if (name === "rbf") return K.rbf({ lengthscale, variance });
  if (name === "matern12") return K.matern({ lengthscale, variance, nu: 0.5 });
  if (name === "matern32") return K.matern({ lengthscale, variance, nu: 1.5 });
  if (name === "matern52") return K.matern({ lengthscale, variance, nu: 2.5 });
  return K.rationalQuadratic({ lengthscale, variance });
}
