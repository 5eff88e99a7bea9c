// Optimistic gradient descent–ascent (Popov 1980; Daskalakis et al., "Training GANs with optimism",
// ICLR 2018): z ← z − 2ηF(z_k) + ηF(z_{k−1}), one operator evaluation per step, converges on bilinear
// games for η < 1/(2L).
import { add, mul, sub, type Tensor, type TensorLike } from "@x/tensor";
import { loop, type MinimaxOptions, type MinimaxResult, type Saddle, setup } from "./common.js";

export function optimisticGd(L: Saddle, x0: TensorLike, y0: TensorLike, options: MinimaxOptions = {}): MinimaxResult {
  const s = setup(L, x0, y0, options, "optimisticGd");
  let prev: [Tensor, Tensor] | undefined;
  return loop(s, (_k, x, y, [fx, fy]) => {
    const [px, py] = prev ?? [fx, fy];
    prev = [fx, fy];
    return [sub(x, add(mul(2 * s.lr, fx), mul(-s.lr, px))), sub(y, add(mul(2 * s.lrY, fy), mul(-s.lrY, py)))];
  });
}
