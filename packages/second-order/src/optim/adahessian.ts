// AdaHessian (Yao et al. 2021): Adam whose second moment tracks the squared Hutchinson estimate
// D = z ⊙ (∇²L z) of the Hessian diagonal (z Rademacher, from a seeded key carried in the state),
// update = −η m̂ / (v̂^{k/2} + ε). No spatial averaging (conv kernels): each entry keeps its own D.
// The optimiser needs HVPs, so update takes { hvp } as its 4th argument; adahessianStep wraps a loss.
import { foldIn, type Key, type PyTree, rademacher, rng, treeFlatten, ValueError } from "@x/tensor";
import { makeProblem, type Objective } from "../internal/problem.js";
import { applyUpdates, leafwise, zerosLike } from "./tree.js";
import type { GradientTransformation } from "./types.js";

export interface AdahessianOptions {
  learningRate: number;
  /** Defaults 0.9, 0.999, 1e-4 (the paper's). */
  b1?: number;
  b2?: number;
  eps?: number;
  /** Hessian power k ∈ [0, 1] (default 1); k = 0 is momentum SGD. */
  hessianPower?: number;
  /** Decoupled weight decay (default 0). */
  weightDecay?: number;
  /** Seed of the Rademacher probes (default 0). */
  seed?: number;
}

export interface AdahessianState {
  count: number;
  mu: PyTree;
  nu: PyTree;
  key: Key;
}

export interface AdahessianExtra {
  /** v ↦ ∇²L(params)·v over pytrees shaped like params. */
  hvp: (v: PyTree) => PyTree;
}

/** One Rademacher probe shaped like params (leaf k drawn from foldIn(key, k)). */
function probe(key: Key, params: PyTree): PyTree {
  const flat = treeFlatten(params, "adahessian: params");
  return flat.unflatten(flat.leaves.map((l, k) => rademacher(foldIn(key, k), l.shape as number[])));
}

export function adahessian(opts: AdahessianOptions): GradientTransformation<AdahessianState, AdahessianExtra> {
  const { learningRate: lr, b1 = 0.9, b2 = 0.999, eps = 1e-4, hessianPower = 1, weightDecay = 0, seed = 0 } = opts;
  if (!(Number.isFinite(lr) && lr > 0)) {
    throw new ValueError(`adahessian: learningRate must be a positive number, got ${lr}`);
  }
  if (!(b1 >= 0 && b1 < 1) || !(b2 >= 0 && b2 < 1)) {
    throw new ValueError(`adahessian: b1, b2 must be in [0, 1), got ${b1}, ${b2}`);
  }
  if (!(hessianPower >= 0 && hessianPower <= 1)) {
    throw new ValueError(`adahessian: hessianPower must be in [0, 1], got ${hessianPower}`);
  }
  return {
    init: (params) => ({ count: 0, mu: zerosLike(params), nu: zerosLike(params), key: rng(seed) }),
    update(grads, state, params, extra) {
      if (params === undefined || extra?.hvp === undefined) {
        throw new ValueError("adahessian: update needs params and { hvp } (or use adahessianStep)");
      }
      const count = state.count + 1;
      const z = probe(foldIn(state.key, count), params);
      const hz = extra.hvp(z);
      const mu = leafwise("adahessian", (g, m) => m.map((mi, i) => b1 * mi + (1 - b1) * g[i]!), grads, state.mu);
      const nu = leafwise(
        "adahessian",
        (zz, h, v) => v.map((vi, i) => b2 * vi + (1 - b2) * (zz[i]! * h[i]!) ** 2),
        z,
        hz,
        state.nu,
      );
      const c1 = 1 - b1 ** count;
      const c2 = 1 - b2 ** count;
      const updates = leafwise(
        "adahessian",
        (m, v, p) =>
          m.map((mi, i) => -lr * (mi / c1 / ((v[i]! / c2) ** (hessianPower / 2) + eps) + weightDecay * p[i]!)),
        mu,
        nu,
        params,
      );
      return { updates, state: { count, mu, nu, key: state.key } };
    },
  };
}

/** One AdaHessian step on a differentiable loss: gradient and HVP by autodiff at params. */
export function adahessianStep(
  opt: GradientTransformation<AdahessianState, AdahessianExtra>,
  loss: Objective,
  params: PyTree,
  state: AdahessianState,
): { params: PyTree; state: AdahessianState; value: number } {
  const P = makeProblem(loss, params, "adahessianStep");
  const { f, g } = P.valueGrad(P.x0);
  const flatOf = (t: PyTree) => {
    const ls = treeFlatten(t, "adahessianStep: probe").leaves;
    const o = new Float64Array(P.n);
    let k = 0;
    for (const l of ls) {
      o.set(l.data, k);
      k += l.size;
    }
    return o;
  };
  const hvp = (v: PyTree) => P.unflatten(P.hvp(P.x0, flatOf(v), g));
  const r = opt.update(P.unflatten(g), state, params, { hvp });
  return { params: applyUpdates(params, r.updates), state: r.state, value: f };
}
