// Moore–Penrose pseudo-inverse A⁺ = V·diag(1/s)·Uᵀ over singular values above rtol·σ_max
// (Golub & Van Loan, §5.5.2; numpy.linalg.pinv's rcond). Built from the differentiable thin SVD with
// @x/tensor ops, so it is differentiable where the rank is locally constant and s is distinct.
import {
  add,
  asTensor,
  div,
  expandDims,
  matmul,
  mT,
  mul,
  type Tensor,
  type TensorLike,
  tensor,
  ValueError,
} from "@x/tensor";
import { matInfo } from "./common.js";
import { svd } from "./svd.js";

export interface PinvOptions {
  /** Singular values ≤ rtol·σ_max are treated as zero (default max(m, n)·ε). */
  rtol?: number;
}

/** Pseudo-inverse of a (batch of) matrix [..., m, n] → [..., n, m]. */
export function pinv(a: TensorLike, opts: PinvOptions = {}): Tensor {
  const A = asTensor(a, "a");
  const { count, m, n } = matInfo(A, "pinv", "a");
  const rtol = opts.rtol ?? Math.max(m, n) * 2 ** -52;
  if (!(rtol >= 0)) throw new ValueError(`pinv: rtol must be ≥ 0, got ${rtol}`);
  const { u, s, vt } = svd(A);
  const k = Math.min(m, n);
  // Constant keep-mask and a safe divisor: 1/s on kept values, 0 elsewhere.
  const sd = s.data;
  const keep = new Float64Array(count * k);
  const pad = new Float64Array(count * k);
  for (let b = 0; b < count; b++) {
    const cut = rtol * (k > 0 ? sd[b * k]! : 0);
    for (let i = 0; i < k; i++) {
      const on = sd[b * k + i]! > cut;
      keep[b * k + i] = on ? 1 : 0;
      pad[b * k + i] = on ? 0 : 1;
    }
  }
  const shape = [...s.shape];
  const inv = div(tensor(keep, shape), add(s, tensor(pad, shape)));
  return matmul(mul(mT(vt), expandDims(inv, -2)), mT(u));
}
