// Matrix-free curvature operators as LinearOperators over the flattened parameters: Hessian (HVP by
// reverse-over-reverse on a gradient graph recorded once), finite-difference Hessian, Jacobian (JVP / VJP),
// generalized Gauss–Newton JᵀH_L J (Schraudolph 2002; Martens 2010) and the empirical Fisher (1/N)JᵀJ of
// per-example losses. The operators are not themselves differentiable.
import { fromData, hvp, jvp, LinearOperator, ShapeError, type Tensor, valueAndGrad, vjp } from "@x/tensor";
import { type FlatView, fdHvp, flatView, hvpAt } from "./internal/problem.js";

type Fn = (x: any) => Tensor;

function vecOf(t: Tensor): Float64Array {
  return Float64Array.from(t.data);
}

function flatFnOf(f: Fn, view: FlatView): (t: Tensor) => Tensor {
  return (t) => f(view.splitT(t));
}

/** ∇²f(x) as a symmetric operator (x a Tensor or pytree; vectors live in the flattened space). */
export function hessianOperator(f: Fn, x: unknown): LinearOperator {
  const view = flatView(x, "hessianOperator");
  const g = flatFnOf(f, view);
  // The gradient's graph at x is recorded on the first product and reused (reverse-over-reverse).
  const hv = hvpAt(g, view.n)(Float64Array.from(view.x0));
  return LinearOperator.fromFunction([view.n, view.n], (v) => fromData(hv(Float64Array.from(v.data)), [view.n]), {
    symmetric: true,
  });
}

/** ∇²f(x) by forward differences of gradients, (∇f(x + εv) − ∇f(x))/ε: a fallback when nesting is unavailable. */
export function finiteDifferenceHessianOperator(f: Fn, x: unknown): LinearOperator {
  const view = flatView(x, "finiteDifferenceHessianOperator");
  const vg = valueAndGrad(flatFnOf(f, view));
  const grad = (y: Float64Array) => vecOf(vg(fromData(Float64Array.from(y), [view.n]))[1] as Tensor);
  const g0 = grad(view.x0);
  return LinearOperator.fromFunction(
    [view.n, view.n],
    (v) => fromData(fdHvp(grad, view.x0, Float64Array.from(v.data), g0), [view.n]),
    { symmetric: true },
  );
}

/** The Jacobian of a Tensor-valued f at x: matvec = JVP, rmatvec = VJP (outputs flattened). */
export function jacobianOperator(f: Fn, x: unknown): LinearOperator {
  const view = flatView(x, "jacobianOperator");
  const g = flatFnOf(f, view);
  const xt = fromData(Float64Array.from(view.x0), [view.n]);
  const [out, pullback] = vjp(g, xt);
  const yShape = (out as Tensor).shape;
  const m = (out as Tensor).size;
  return LinearOperator.fromFunction([m, view.n], (v) => fromData(vecOf(jvp(g, [xt], [v])[1] as Tensor), [m]), {
    rmatvec: (u) => pullback(fromData(Float64Array.from(u.data), yShape))[0] as Tensor,
  });
}

/**
 * Generalized Gauss–Newton JᵀH_L J of loss(model(params)): J the model Jacobian, H_L the Hessian of
 * the loss in the model output. Positive semi-definite whenever the loss is convex in the output.
 */
export function ggnOperator(model: Fn, loss: (out: Tensor) => Tensor, params: unknown): LinearOperator {
  const view = flatView(params, "ggnOperator");
  const g = flatFnOf(model, view);
  const pt = fromData(Float64Array.from(view.x0), [view.n]);
  const [out, pullback] = vjp(g, pt);
  const o = out as Tensor;
  if (loss(o).size !== 1) throw new ShapeError("ggnOperator: loss must return a scalar");
  return LinearOperator.fromFunction(
    [view.n, view.n],
    (v) => {
      const Jv = jvp(g, [pt], [v])[1] as Tensor;
      const HJv = hvp(loss, o, Jv) as Tensor;
      return pullback(HJv)[0] as Tensor;
    },
    { symmetric: true },
  );
}

/**
 * Empirical Fisher (1/N) Σᵢ ∇ℓᵢ∇ℓᵢᵀ = (1/N) JᵀJ, where perExampleLoss(params) returns the vector of
 * the N per-example losses (negative log-likelihoods) and J is its Jacobian.
 */
export function fisherOperator(perExampleLoss: Fn, params: unknown): LinearOperator {
  const view = flatView(params, "fisherOperator");
  const g = flatFnOf(perExampleLoss, view);
  const pt = fromData(Float64Array.from(view.x0), [view.n]);
  const [out, pullback] = vjp(g, pt);
  const o = out as Tensor;
  if (o.rank !== 1) throw new ShapeError(`fisherOperator: perExampleLoss must return a vector, got rank ${o.rank}`);
  const N = o.size;
  return LinearOperator.fromFunction(
    [view.n, view.n],
    (v) => {
      const Jv = jvp(g, [pt], [v])[1] as Tensor;
      const JtJv = vecOf(pullback(Jv)[0] as Tensor);
      for (let i = 0; i < JtJv.length; i++) JtJv[i]! /= N;
      return fromData(JtJv, [view.n]);
    },
    { symmetric: true },
  );
}
