// Halpern / anchored iteration for monotone operators: the extra-anchored gradient method EAG-C
// (Yoon & Ryu, "Accelerated algorithms for smooth convex–concave minimax problems with O(1/k²) rate on
// squared gradient norm", ICML 2021), an extragradient step pulled towards the anchor z₀ with weight
// β_k = 1/(k+2) (Halpern 1967). For η ≤ 1/(8L): ‖F(z_k)‖ ≤ 2‖z₀ − z*‖/(η(k+1)) — an O(1/k)
// operator residual, which is also the stopping test.
import { add, mul, sub, type Tensor, type TensorLike } from "@x/tensor";
import { loop, type MinimaxOptions, type MinimaxResult, type Saddle, setup } from "./common.js";

export function halpern(L: Saddle, x0: TensorLike, y0: TensorLike, options: MinimaxOptions = {}): MinimaxResult {
  const s = setup(L, x0, y0, options, "halpern");
  const ax = s.x;
  const ay = s.y;
  const anchor = (z: Tensor, a: Tensor, b: number) => add(z, mul(b, sub(a, z)));
  return loop(s, (k, x, y, [fx, fy]) => {
    const beta = 1 / (k + 2);
    const xh = sub(anchor(x, ax, beta), mul(s.lr, fx));
    const yh = sub(anchor(y, ay, beta), mul(s.lrY, fy));
    const [gx, gy] = s.F(xh, yh);
    return [sub(anchor(x, ax, beta), mul(s.lr, gx)), sub(anchor(y, ay, beta), mul(s.lrY, gy))];
  });
}
