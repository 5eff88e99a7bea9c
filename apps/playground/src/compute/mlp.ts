// The second-order page's model (shared with the browser test): a 1-16-1 tanh MLP fitted by mean squared
// error to seeded noisy samples of sin(3x), all parameters in one flat vector θ (49 values), so that the
// Hessian ∇²L(θ) is a plain 49 × 49 operator.
import * as X from "@x/tensor";

const H = 16;
export const N_PARAMS = 3 * H + 1;

export function mlpData(seed: number): { x: X.Tensor; y: X.Tensor; theta0: X.Tensor } {
  const [k1, k2, k3] = X.split(X.rng(seed), 3) as [X.Key, X.Key, X.Key];
  const x = X.linspace(-1, 1, 32);
  const y = X.add(X.sin(X.mul(3, x)), X.normal(k1, [32], 0, 0.05));
  const w1 = X.normal(k2, [H], 0, 1.5);
  const rest = X.normal(k3, [2 * H + 1], 0, 1 / Math.sqrt(H));
  return { x, y, theta0: X.concat([w1, rest]) };
}

/** L(θ) = mean (f_θ(x) − y)², f_θ(x) = Σ_j v_j tanh(w_j x + b_j) + c. */
export function mlpLoss(x: X.Tensor, y: X.Tensor): (theta: X.Tensor) => X.Tensor {
  return (theta) => {
    const w = X.slice(theta, [[0, H]]);
    const b = X.slice(theta, [[H, 2 * H]]);
    const v = X.slice(theta, [[2 * H, 3 * H]]);
    const c = X.slice(theta, [[3 * H, 3 * H + 1]]);
    const hidden = X.tanh(X.add(X.outer(x, w), b));
    const pred = X.add(X.matmul(hidden, v), c);
    return X.mean(X.square(X.sub(pred, y)));
  };
}
