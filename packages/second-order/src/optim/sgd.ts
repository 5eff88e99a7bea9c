// Stochastic gradient descent with heavy-ball or Nesterov momentum, as optax.sgd:
// v ← μv + g, update = −η(g + μv) (Nesterov) or −ηv (Polyak 1964; Sutskever et al. 2013).
import { type PyTree, ValueError } from "@x/tensor";
import { leafwise, zerosLike } from "./tree.js";
import type { GradientTransformation } from "./types.js";

export interface SgdOptions {
  learningRate: number;
  /** Momentum μ ∈ [0, 1) (default 0: plain gradient steps). */
  momentum?: number;
  nesterov?: boolean;
}

export interface SgdState {
  velocity: PyTree | null;
}

export function sgd(opts: SgdOptions): GradientTransformation<SgdState> {
  const lr = opts.learningRate;
  const mu = opts.momentum ?? 0;
  if (!(Number.isFinite(lr) && lr > 0)) throw new ValueError(`sgd: learningRate must be a positive number, got ${lr}`);
  if (!(mu >= 0 && mu < 1)) throw new ValueError(`sgd: momentum must be in [0, 1), got ${mu}`);
  const nesterov = opts.nesterov ?? false;
  return {
    init: (params) => ({ velocity: mu > 0 ? zerosLike(params) : null }),
    update(grads, state) {
      if (state.velocity === null) {
        return { updates: leafwise("sgd", (g) => g.map((gi) => -lr * gi), grads), state };
      }
      const velocity = leafwise(
        "sgd",
        (g, v) => {
          const o = new Float64Array(g.length);
          for (let i = 0; i < g.length; i++) o[i] = mu * v[i]! + g[i]!;
          return o;
        },
        grads,
        state.velocity,
      );
      const updates = leafwise(
        "sgd",
        (g, v) => {
          const o = new Float64Array(g.length);
          for (let i = 0; i < g.length; i++) o[i] = -lr * (nesterov ? g[i]! + mu * v[i]! : v[i]!);
          return o;
        },
        grads,
        velocity,
      );
      return { updates, state: { velocity } };
    },
  };
}
