// Elementwise unary ops. Each rule is d/dx as a tensor expression: jvp = t·f'(x), vjp = g·f'(x).
import { type Attrs, bind, type Primitive } from "../autodiff/trace.js";
import { ValueError } from "../errors.js";
import * as K from "../kernel-names.js";
import { asTensor, type Tensor, type TensorLike } from "../tensor.js";
import { add, div, greater, mul, sub } from "./binary.js";
import { definePrimitive } from "./primitive.js";

type Deriv = (x: Tensor, out: Tensor, attrs: Attrs) => Tensor;

function unaryPrimitive(name: string, deriv?: Deriv): Primitive {
  if (!deriv) return definePrimitive(name); // piecewise constant: zero derivative
  return definePrimitive(name, {
    jvp: ([x], [t], out, attrs) => mul(t!, deriv(x!, out, attrs)),
    vjp: (g, [x], out, attrs) => [mul(g, deriv(x!, out, attrs))],
  });
}

const SQRT_PI = Math.sqrt(Math.PI);

const P = {
  neg: unaryPrimitive(K.Neg, () => asTensor(-1)),
  abs: unaryPrimitive(K.Abs, (x) => sign(x)),
  sign: unaryPrimitive(K.Sign),
  sqrt: unaryPrimitive(K.Sqrt, (_x, out) => div(0.5, out)),
  exp: unaryPrimitive(K.Exp, (_x, out) => out),
  log: unaryPrimitive(K.Log, (x) => div(1, x)),
  log1p: unaryPrimitive(K.Log1p, (x) => div(1, add(x, 1))),
  expm1: unaryPrimitive(K.Expm1, (_x, out) => add(out, 1)),
  tanh: unaryPrimitive(K.Tanh, (_x, out) => sub(1, mul(out, out))),
  sigmoid: unaryPrimitive(K.Sigmoid, (_x, out) => mul(out, sub(1, out))),
  relu: unaryPrimitive(K.Relu, (x) => greater(x, 0)),
  softplus: unaryPrimitive(K.Softplus, (x) => sigmoid(x)),
  sin: unaryPrimitive(K.Sin, (x) => cos(x)),
  cos: unaryPrimitive(K.Cos, (x) => neg(sin(x))),
  floor: unaryPrimitive(K.Floor),
  ceil: unaryPrimitive(K.Ceil),
  round: unaryPrimitive(K.Round),
  isnan: unaryPrimitive(K.IsNaN),
  erf: unaryPrimitive(K.Erf, (x) => mul(2 / SQRT_PI, exp(neg(mul(x, x))))),
  lgamma: unaryPrimitive(K.Lgamma, (x) => digamma(x)),
  digamma: unaryPrimitive(K.Digamma, (x) => polygamma(1, x)),
  polygamma: unaryPrimitive(K.Polygamma, (x, _o, a) => polygamma((a.n as number) + 1, x)),
  // d/dx log I_ν(x) = I_{ν+1}(x)/I_ν(x) + ν/x  (DLMF 10.29.2)
  logBesselI: unaryPrimitive(K.LogBesselI, (x, out, a) => {
    const nu = a.nu as number;
    const ratio = exp(sub(logBesselI(nu + 1, x), out));
    return nu === 0 ? ratio : add(ratio, div(nu, x));
  }),
  // d/dx log K_ν(x) = −K_{ν−1}(x)/K_ν(x) − ν/x  (DLMF 10.29.2), with K_{−μ} = K_μ
  logBesselK: unaryPrimitive(K.LogBesselK, (x, out, a) => {
    const nu = a.nu as number;
    const ratio = exp(sub(logBesselK(Math.abs(nu - 1), x), out));
    return nu === 0 ? neg(ratio) : sub(neg(ratio), div(nu, x));
  }),
};

const u = (p: Primitive, x: TensorLike, attrs?: Attrs) => bind(p, [asTensor(x)], attrs);

export const neg = (x: TensorLike): Tensor => u(P.neg, x);
export const abs = (x: TensorLike): Tensor => u(P.abs, x);
export const sign = (x: TensorLike): Tensor => u(P.sign, x);
export const sqrt = (x: TensorLike): Tensor => u(P.sqrt, x);
export const exp = (x: TensorLike): Tensor => u(P.exp, x);
export const log = (x: TensorLike): Tensor => u(P.log, x);
export const log1p = (x: TensorLike): Tensor => u(P.log1p, x);
export const expm1 = (x: TensorLike): Tensor => u(P.expm1, x);
export const tanh = (x: TensorLike): Tensor => u(P.tanh, x);
export const sigmoid = (x: TensorLike): Tensor => u(P.sigmoid, x);
export const relu = (x: TensorLike): Tensor => u(P.relu, x);
/** log(1 + eˣ), computed without overflow. */
export const softplus = (x: TensorLike): Tensor => u(P.softplus, x);
export const sin = (x: TensorLike): Tensor => u(P.sin, x);
export const cos = (x: TensorLike): Tensor => u(P.cos, x);
export const floor = (x: TensorLike): Tensor => u(P.floor, x);
export const ceil = (x: TensorLike): Tensor => u(P.ceil, x);
export const round = (x: TensorLike): Tensor => u(P.round, x);
/** 1 where x is NaN, else 0. */
export const isnan = (x: TensorLike): Tensor => u(P.isnan, x);
export const erf = (x: TensorLike): Tensor => u(P.erf, x);
/** log|Γ(x)|. */
export const lgamma = (x: TensorLike): Tensor => u(P.lgamma, x);
/** ψ(x) = d/dx log Γ(x). */
export const digamma = (x: TensorLike): Tensor => u(P.digamma, x);
/** ψ⁽ⁿ⁾(x), the n-th derivative of the digamma function (integer n ≥ 0). */
export function polygamma(n: number, x: TensorLike): Tensor {
  if (!Number.isInteger(n) || n < 0) throw new ValueError(`polygamma: n must be an integer ≥ 0, got ${n}`);
  return n === 0 ? digamma(x) : u(P.polygamma, x, { n });
}
/** log I_ν(x), the modified Bessel function of the first kind, in log space (x ≥ 0, ν ≥ 0). */
export function logBesselI(nu: number, x: TensorLike): Tensor {
  return u(P.logBesselI, x, { nu });
}
/** log K_ν(x), the modified Bessel function of the second kind, in log space (x > 0). */
export function logBesselK(nu: number, x: TensorLike): Tensor {
  return u(P.logBesselK, x, { nu });
}
export const square = (x: TensorLike): Tensor => mul(x, x);
export const reciprocal = (x: TensorLike): Tensor => div(1, x);
/** Stable log(sigmoid(x)) = −softplus(−x). */
export const logSigmoid = (x: TensorLike): Tensor => neg(softplus(neg(x)));
