// Simultaneous gradient descent–ascent: x ← x − ηₓ∇ₓL, y ← y + η_y∇_yL. Known to cycle or diverge on
// bilinear games (e.g. Mescheder et al. 2017; Daskalakis et al. 2018) — kept as the baseline.
import { mul, sub, type TensorLike } from "@x/tensor";
import { loop, type MinimaxOptions, type MinimaxResult, type Saddle, setup } from "./common.js";

export function gda(L: Saddle, x0: TensorLike, y0: TensorLike, options: MinimaxOptions = {}): MinimaxResult {
  const s = setup(L, x0, y0, options, "gda");
  return loop(s, (_k, x, y, [fx, fy]) => [sub(x, mul(s.lr, fx)), sub(y, mul(s.lrY, fy))]);
}
