// Optimal-transport building blocks as primitives: pairwise squared distances, the Gibbs kernel
// exp(−C/ε) and the Sinkhorn scaling diag(u)·K·diag(v). Each runs one kernel (cpu, gpu.js) and
// carries JVP/VJP rules written with ops, so they nest like every other primitive.
import { bind } from "../autodiff/trace.js";
import { ShapeError, ValueError } from "../errors.js";
import * as K from "../kernel-names.js";
import { fmtShape } from "../shape.js";
import { asTensor, type Tensor, type TensorLike } from "../tensor.js";
import { add, div, mul, sub } from "./binary.js";
import { matmul } from "./matmul.js";
import { definePrimitive, sumTangents } from "./primitive.js";
import { sum } from "./reduce.js";
import { mT, reshape } from "./shape-ops.js";

const col = (t: Tensor) => reshape(t, [t.size, 1]);
const row = (t: Tensor) => reshape(t, [1, t.size]);

const Pairwise = definePrimitive(K.PairwiseSqDist, {
  // D = |x|²1ᵀ + 1|y|²ᵀ − 2xyᵀ, so dD = 2(x·tx)1ᵀ + 2·1(y·ty)ᵀ − 2(tx yᵀ + x tyᵀ).
  jvp: ([x, y], [tx, ty]) =>
    sumTangents(
      add,
      tx ? mul(2, sub(col(sum(mul(x!, tx), { axis: 1 })), matmul(tx, mT(y!)))) : null,
      ty ? mul(2, sub(row(sum(mul(y!, ty), { axis: 1 })), matmul(x!, mT(ty)))) : null,
    ),
  vjp: (g, [x, y], _o, _a, [nx, ny]) => [
    nx ? mul(2, sub(mul(x!, col(sum(g, { axis: 1 }))), matmul(g, y!))) : null,
    ny ? mul(2, sub(mul(y!, col(sum(g, { axis: 0 }))), matmul(mT(g), x!))) : null,
  ],
});

const Gibbs = definePrimitive(K.GibbsKernel, {
  jvp: (_p, [t], out, a) => (t ? mul(out, div(t, -(a.eps as number))) : null),
  vjp: (g, _p, out, a) => [mul(g, div(out, -(a.eps as number)))],
});

const Scale = definePrimitive(K.ScaleRowsCols, {
  jvp: ([k, u, v], [tk, tu, tv]) =>
    sumTangents(
      add,
      tk ? scaleRowsCols(tk, u!, v!) : null,
      tu ? scaleRowsCols(k!, tu, v!) : null,
      tv ? scaleRowsCols(k!, u!, tv) : null,
    ),
  vjp: (g, [k, u, v], _o, _a, [nk, nu, nv]) => [
    nk ? scaleRowsCols(g, u!, v!) : null,
    nu ? sum(mul(mul(g, k!), row(v!)), { axis: 1 }) : null,
    nv ? sum(mul(mul(g, k!), col(u!)), { axis: 0 }) : null,
  ],
});

/** Squared Euclidean distances D[i, j] = ‖x[i] − y[j]‖² between the rows of x [n, d] and y [m, d]. */
export function pairwiseSqDist(x: TensorLike, y: TensorLike): Tensor {
  const a = asTensor(x, "x");
  const b = asTensor(y, "y");
  if (a.rank !== 2 || b.rank !== 2 || a.shape[1] !== b.shape[1]) {
    throw new ShapeError(
      `pairwiseSqDist: expected x [n, d] and y [m, d], got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`,
    );
  }
  return bind(Pairwise, [a, b]);
}

/** The Gibbs kernel K = exp(−C/ε) of a cost matrix (any shape), for ε > 0. */
export function gibbsKernel(c: TensorLike, eps: number): Tensor {
  if (!(eps > 0) || !Number.isFinite(eps))
    throw new ValueError(`gibbsKernel: eps must be a finite number > 0, got ${eps}`);
  return bind(Gibbs, [asTensor(c, "c")], { eps });
}

/** The Sinkhorn scaling diag(u)·K·diag(v): out[i, j] = u[i]·K[i, j]·v[j] for K [n, m], u [n], v [m]. */
export function scaleRowsCols(k: TensorLike, u: TensorLike, v: TensorLike): Tensor {
  const kt = asTensor(k, "k");
  const ut = asTensor(u, "u");
  const vt = asTensor(v, "v");
  if (kt.rank !== 2 || ut.rank !== 1 || vt.rank !== 1 || ut.size !== kt.shape[0] || vt.size !== kt.shape[1]) {
    throw new ShapeError(
      `scaleRowsCols: expected K [n, m], u [n], v [m], got ${fmtShape(kt.shape)}, ${fmtShape(ut.shape)}, ${fmtShape(vt.shape)}`,
    );
  }
  return bind(Scale, [kt, ut, vt]);
}
