// Proximal operators and projections written with differentiable @x/tensor ops, so grad/jvp through
// them are the (almost-everywhere) derivatives used by proximal-gradient unrolling and prox layers
// (Parikh & Boyd, "Proximal algorithms", 2014). The simplex projection uses the sort-based threshold of
// Held, Wolfe & Crowder (1974) / Duchi et al. (ICML 2008); its active set is fixed, so the derivative is
// the exact one of the piecewise-linear map.
import {
  abs,
  asTensor,
  clip,
  div,
  mul,
  norm,
  relu,
  ShapeError,
  sign,
  sub,
  sum,
  type Tensor,
  type TensorLike,
  tensor,
  ValueError,
} from "@x/tensor";

/** prox of τ‖·‖₁: sign(x)·max(|x| − τ, 0) (τ may be a tensor broadcasting against x). */
export function softThreshold(x: TensorLike, tau: TensorLike): Tensor {
  const t = asTensor(tau, "tau");
  if (t.data.some((v) => v < 0)) throw new ValueError("softThreshold: tau must be ≥ 0");
  const xt = asTensor(x, "x");
  return mul(sign(xt), relu(sub(abs(xt), t)));
}

/** Euclidean projection onto {z : ‖z‖₂ ≤ r}. */
export function projectL2Ball(x: TensorLike, radius: TensorLike = 1): Tensor {
  const r = asTensor(radius, "radius");
  if (r.size !== 1 || !(r.data[0]! > 0)) throw new ValueError("projectL2Ball: radius must be a scalar > 0");
  const xt = asTensor(x, "x");
  // Inside the ball the projection is the identity (also its derivative); outside it is r·x/‖x‖.
  const nx = norm(xt);
  return nx.item() <= r.data[0]! ? xt : mul(xt, div(r, nx));
}

/** Projection onto the box [lo, hi] (elementwise). */
export function projectBox(x: TensorLike, lo: TensorLike, hi: TensorLike): Tensor {
  return clip(asTensor(x, "x"), asTensor(lo, "lo"), asTensor(hi, "hi"));
}

/** Euclidean projection of a vector onto the simplex {z ≥ 0, Σz = s}. */
export function projectSimplex(x: TensorLike, s: TensorLike = 1): Tensor {
  const xt = asTensor(x, "x");
  if (xt.rank !== 1 || xt.size === 0)
    throw new ShapeError(`projectSimplex: x must be a non-empty vector, got [${xt.shape}]`);
  const st = asTensor(s, "s");
  if (st.size !== 1 || !(st.data[0]! > 0)) throw new ValueError("projectSimplex: s must be a scalar > 0");
  const v = Array.from(xt.data).sort((a, b) => b - a);
  let cum = 0;
  let k = 0;
  for (let i = 0; i < v.length; i++) {
    cum += v[i]!;
    if (v[i]! - (cum - st.data[0]!) / (i + 1) > 0) {
      k = i + 1;
    }
  }
  // The threshold τ = (Σ_{support} x − s)/|support| as an op, so it carries derivatives.
  const tau0 = (v.slice(0, k).reduce((a, b) => a + b, 0) - st.data[0]!) / k;
  const mask = tensor(Array.from(xt.data, (xi) => (xi - tau0 > 0 ? 1 : 0)));
  const tau = div(sub(sum(mul(mask, xt)), st), k);
  return mul(mask, relu(sub(xt, tau)));
}
