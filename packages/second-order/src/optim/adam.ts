// Adam (Kingma & Ba 2015) with bias correction; weightDecay > 0 gives decoupled AdamW
// (Loshchilov & Hutter 2019), as optax.adamw: update = −η(m̂/(√v̂ + ε) + λ·params).
import { type PyTree, ValueError } from "@x/tensor";
import { leafwise, zerosLike } from "./tree.js";
import type { GradientTransformation } from "./types.js";

export interface AdamOptions {
  learningRate: number;
  /** Moment decay rates (default 0.9, 0.999). */
  b1?: number;
  b2?: number;
  /** Added to √v̂ (default 1e-8). */
  eps?: number;
  /** Decoupled weight decay λ (default 0; needs params in update). */
  weightDecay?: number;
}

export interface AdamState {
  count: number;
  mu: PyTree;
  nu: PyTree;
}

export function adam(opts: AdamOptions): GradientTransformation<AdamState> {
  const { learningRate: lr, b1 = 0.9, b2 = 0.999, eps = 1e-8, weightDecay = 0 } = opts;
  if (!(Number.isFinite(lr) && lr > 0)) throw new ValueError(`adam: learningRate must be a positive number, got ${lr}`);
  if (!(b1 >= 0 && b1 < 1)) throw new ValueError(`adam: b1 must be in [0, 1), got ${b1}`);
  if (!(b2 >= 0 && b2 < 1)) throw new ValueError(`adam: b2 must be in [0, 1), got ${b2}`);
  if (!(eps >= 0)) throw new ValueError(`adam: eps must be ≥ 0, got ${eps}`);
  if (!(weightDecay >= 0)) throw new ValueError(`adam: weightDecay must be ≥ 0, got ${weightDecay}`);
  return {
    init: (params) => ({ count: 0, mu: zerosLike(params), nu: zerosLike(params) }),
    update(grads, state, params) {
      if (weightDecay > 0 && params === undefined) throw new ValueError("adam: weightDecay > 0 needs params in update");
      const count = state.count + 1;
      const mu = leafwise("adam", (g, m) => m.map((mi, i) => b1 * mi + (1 - b1) * g[i]!), grads, state.mu);
      const nu = leafwise("adam", (g, v) => v.map((vi, i) => b2 * vi + (1 - b2) * g[i]! * g[i]!), grads, state.nu);
      const c1 = 1 - b1 ** count;
      const c2 = 1 - b2 ** count;
      const step = (m: Float64Array, v: Float64Array, p?: Float64Array) =>
        m.map((mi, i) => -lr * (mi / c1 / (Math.sqrt(v[i]! / c2) + eps) + (p ? weightDecay * p[i]! : 0)));
      const updates =
        weightDecay > 0
          ? leafwise("adam", step, mu, nu, params as PyTree)
          : leafwise("adam", (m, v) => step(m, v), mu, nu);
      return { updates, state: { count, mu, nu } };
    },
  };
}
