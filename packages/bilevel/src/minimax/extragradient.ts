// Extragradient (Korpelevich 1976): a look-ahead step, then the update with the operator evaluated
// there; converges on monotone Lipschitz problems (bilinear games included) for η < 1/L. Distinct
// step sizes for x and y give the two-timescale variant (e.g. for nonconvex–concave problems).
import { mul, sub, type TensorLike } from "@x/tensor";
import { loop, type MinimaxOptions, type MinimaxResult, type Saddle, setup } from "./common.js";

export function extragradient(L: Saddle, x0: TensorLike, y0: TensorLike, options: MinimaxOptions = {}): MinimaxResult {
  const s = setup(L, x0, y0, options, "extragradient");
  return loop(s, (_k, x, y, [fx, fy]) => {
    const xh = sub(x, mul(s.lr, fx));
    const yh = sub(y, mul(s.lrY, fy));
    const [gx, gy] = s.F(xh, yh);
    return [sub(x, mul(s.lr, gx)), sub(y, mul(s.lrY, gy))];
  });
}
