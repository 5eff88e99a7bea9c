// Unrolled (iterative) differentiation, ITD: Maclaurin et al., "Gradient-based hyperparameter
// optimization through reversible learning" (ICML 2015); Franceschi et al. (ICML 2017, reverse mode);
// truncated back-propagation: Shaban et al., "Truncated back-propagation for bilevel optimization"
// (AISTATS 2019). The hypergradient is the exact derivative of f(x_K(λ), λ) where x_K is K steps of
// gradient descent (optionally heavy-ball momentum) on g. Memory is bounded by checkpointing (Griewank):
// only every c-th state is stored; each segment's tape is rebuilt from its checkpoint during the reverse
// sweep, so at most c steps are taped at once for one extra forward pass.
import { add, grad, mul, onesLike, stopGradient, sub, type Tensor, ValueError, vjp, zerosLike } from "@x/tensor";
import { vnorm } from "./internal/vec.js";

export interface UnrolledOptions {
  /** K inner steps. */
  innerSteps: number;
  /** Step size α. */
  innerLr: number;
  /** Heavy-ball momentum β ∈ [0, 1) (default 0: plain gradient descent). */
  momentum?: number;
  /** Differentiate only the last `truncate` steps (default K: full unrolling). */
  truncate?: number;
  /** Store a checkpoint every c steps; at most c steps are taped at once (default K: no recomputation). */
  checkpoint?: number;
}

export interface UnrolledResult {
  value: number;
  grad: Tensor;
  x: Tensor;
  /** ‖∇ₓg(x_K, λ)‖₂. */
  innerResidual: number;
  /** The most inner steps held on a tape at once. */
  tapedSteps: number;
}

function checkInt(v: number, name: string, min: number): void {
  if (!Number.isInteger(v) || v < min) throw new ValueError(`unrolled: ${name} must be an integer ≥ ${min}, got ${v}`);
}

/** ∇λ f(x_K(λ), λ) through K (truncated, checkpointed) steps of GD/momentum on g. */
export function unrolledHypergradient(
  outer: (x: Tensor, lambda: Tensor) => Tensor,
  inner: (x: Tensor, lambda: Tensor) => Tensor,
  lambda: Tensor,
  x0: Tensor,
  options: UnrolledOptions,
): UnrolledResult {
  const K = options.innerSteps;
  checkInt(K, "innerSteps", 0);
  const lr = options.innerLr;
  if (!(lr > 0) || !Number.isFinite(lr)) throw new ValueError(`unrolled: innerLr must be > 0, got ${lr}`);
  const beta = options.momentum ?? 0;
  if (!(beta >= 0 && beta < 1)) throw new ValueError(`unrolled: momentum must be in [0, 1), got ${beta}`);
  const T = options.truncate ?? K;
  checkInt(T, "truncate", 0);
  const c = options.checkpoint ?? Math.max(K, 1);
  checkInt(c, "checkpoint", 1);
  const gx = grad(inner, 0) as (x: Tensor, l: Tensor) => Tensor;

  // `len` steps from state (x, v), differentiable in x, v and λ.
  const steps = (x: Tensor, v: Tensor, l: Tensor, len: number): [Tensor, Tensor] => {
    for (let k = 0; k < len; k++) {
      const gk = gx(x, l);
      v = beta > 0 ? add(mul(beta, v), gk) : gk;
      x = sub(x, mul(lr, v));
    }
    return [x, v];
  };

  // Forward pass without tapes, keeping checkpoints at the segment starts of the differentiated tail.
  const start = K - Math.min(T, K);
  const starts: number[] = [];
  for (let s = start; s < K; s += c) starts.push(s);
  const lam0 = stopGradient(lambda);
  const checkpoints = new Map<number, [Tensor, Tensor]>();
  let state: [Tensor, Tensor] = [x0, zerosLike(x0)];
  let k = 0;
  for (const s of [...starts, K]) {
    state = steps(state[0], state[1], lam0, s - k);
    k = s;
    checkpoints.set(s, state);
  }
  const xK = state[0];

  // Reverse sweep: seed with ∂f/∂x, ∂f/∂λ at x_K, then pull back through each segment.
  const [fVal, pullF] = vjp(outer, xK, lambda);
  if ((fVal as Tensor).size !== 1) throw new ValueError("unrolled: outer(x, λ) must return a scalar");
  let [gX, gL] = pullF(onesLike(fVal as Tensor)) as [Tensor, Tensor];
  let gV = zerosLike(x0);
  for (let i = starts.length - 1; i >= 0; i--) {
    const s = starts[i]!;
    const len = Math.min(c, K - s);
    const [xs, vs] = checkpoints.get(s)!;
    const [, pull] = vjp((x: Tensor, v: Tensor, l: Tensor) => steps(x, v, l, len), xs, vs, lambda);
    const [dx, dv, dl] = pull([gX, gV]) as [Tensor, Tensor, Tensor];
    gX = dx;
    gV = dv;
    gL = add(gL, dl);
  }
  return {
    value: (fVal as Tensor).item(),
    grad: gL,
    x: xK,
    innerResidual: vnorm(gx(xK, lam0).data),
    tapedSteps: Math.min(c, Math.max(K - start, 0)),
  };
}
