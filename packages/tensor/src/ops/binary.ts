// Elementwise binary ops with NumPy broadcasting. VJPs sum the cotangent back over broadcast axes.
import { bind } from "../autodiff/trace.js";
import * as K from "../kernel-names.js";
import { asTensor, type Tensor, type TensorLike } from "../tensor.js";
import { definePrimitive, sumTangents } from "./primitive.js";
import { sumTo } from "./reduce.js";
import { broadcastTo } from "./shape-ops.js";
import { log, neg } from "./unary.js";

/** A tangent of an input may be smaller than the broadcast output: expand it. */
const fit = (t: Tensor | null, out: Tensor) =>
  t === null || (t.shape.length === out.shape.length && t.size === out.size) ? t : broadcastTo(t, out.shape);

const P = {
  add: definePrimitive(K.Add, {
    jvp: (_p, [ta, tb], out) => fit(sumTangents(add, ta ?? null, tb ?? null), out),
    vjp: (g, [a, b], _o, _at, [na, nb]) => [na ? sumTo(g, a!.shape) : null, nb ? sumTo(g, b!.shape) : null],
  }),
  sub: definePrimitive(K.Sub, {
    jvp: (_p, [ta, tb], out) => fit(sumTangents(add, ta ?? null, tb ? neg(tb) : null), out),
    vjp: (g, [a, b], _o, _at, [na, nb]) => [na ? sumTo(g, a!.shape) : null, nb ? sumTo(neg(g), b!.shape) : null],
  }),
  mul: definePrimitive(K.Mul, {
    jvp: ([a, b], [ta, tb]) => {
      const da = ta ? mul(ta, b!) : null;
      // d(x·x) = dx·x + x·dx: the two terms are the same numbers (see the vjp below).
      if (a === b && ta && ta === tb && forwardOnly(ta) && forwardOnly(a!)) return add(da!, da!);
      return sumTangents(add, da, tb ? mul(a!, tb) : null);
    },
    vjp: (g, [a, b], _o, _at, [na, nb]) => {
      const ga = na ? sumTo(mul(g, b!), a!.shape) : null;
      // x·x (square): g·x and x·g are the same numbers; reuse the first unless a reverse trace would
      // record them as two nodes (their cotangents would then be summed in another order).
      if (na && nb && a === b && forwardOnly(g) && forwardOnly(a!)) return [ga, ga];
      return [ga, nb ? sumTo(mul(a!, g), b!.shape) : null];
    },
  }),
  div: definePrimitive(K.Div, {
    // d(a/b) = (da − (a/b)·db) / b
    jvp: ([, b], [ta, tb], out) => {
      const num = sumTangents(add, ta!, tb ? neg(mul(out, tb)) : null);
      return num === null ? null : div(num, b!);
    },
    vjp: (g, [a, b], out, _at, [na, nb]) => {
      const gb = div(g, b!);
      return [na ? sumTo(gb, a!.shape) : null, nb ? sumTo(neg(mul(gb, out)), b!.shape) : null];
    },
  }),
  pow: definePrimitive(K.Pow, {
    jvp: ([a, b], [ta, tb], out) =>
      sumTangents(add, ta ? mul(ta, dPowA(a!, b!)) : null, tb ? mul(tb, dPowB(a!, out)) : null),
    vjp: (g, [a, b], out, _at, [na, nb]) => [
      na ? sumTo(mul(g, dPowA(a!, b!)), a!.shape) : null,
      nb ? sumTo(mul(g, dPowB(a!, out)), b!.shape) : null,
    ],
  }),
  maximum: definePrimitive(K.Maximum, {
    jvp: ([a, b], [ta, tb]) => selectJvp(greater(a!, b!), equal(a!, b!), ta ?? null, tb ?? null),
    vjp: (g, [a, b], _o, _at, needs) => selectVjp(g, greater(a!, b!), equal(a!, b!), a!, b!, needs),
  }),
  minimum: definePrimitive(K.Minimum, {
    jvp: ([a, b], [ta, tb]) => selectJvp(less(a!, b!), equal(a!, b!), ta ?? null, tb ?? null),
    vjp: (g, [a, b], _o, _at, needs) => selectVjp(g, less(a!, b!), equal(a!, b!), a!, b!, needs),
  }),
  where: definePrimitive(K.Where, {
    jvp: ([c], [, ta, tb], out) => broadcastTo(where(c!, ta ?? 0, tb ?? 0), out.shape),
    vjp: (g, [c, a, b], _o, _at, [, na, nb]) => [
      null,
      na ? sumTo(where(c!, g, 0), a!.shape) : null,
      nb ? sumTo(where(c!, 0, g), b!.shape) : null,
    ],
  }),
  greater: definePrimitive(K.Greater),
  greaterEqual: definePrimitive(K.GreaterEqual),
  less: definePrimitive(K.Less),
  lessEqual: definePrimitive(K.LessEqual),
  equal: definePrimitive(K.Equal),
  notEqual: definePrimitive(K.NotEqual),
};

/**
 * Whether no reverse-mode trace sees t (a concrete tensor, or forward-mode tracers all the way down,
 * tangents included). Products that commute exactly (a·b = b·a in IEEE arithmetic) may then be computed
 * once: forward mode carries values and tangents only, and those come out bit-identical.
 */
function forwardOnly(t: Tensor | null): boolean {
  while (t !== null && t._level > 0) {
    if (t._trace!.kind !== "jvp" || !forwardOnly(t._tangent)) return false;
    t = t._primal!;
  }
  return true;
}

// ∂(aᵇ)/∂a = b·a^(b−1);  ∂(aᵇ)/∂b = aᵇ·log a, taken as 0 where a = 0 (the limit for b > 0).
const dPowA = (a: Tensor, b: Tensor) => mul(b, pow(a, sub(b, 1)));
const dPowB = (a: Tensor, out: Tensor) => {
  const zero = equal(a, 0);
  return where(zero, 0, mul(out, log(where(zero, 1, a))));
};

// max/min: the derivative follows the selected argument; ties split it evenly (as JAX does).
function selectJvp(pick: Tensor, tie: Tensor, ta: Tensor | null, tb: Tensor | null): Tensor | null {
  const wa = add(pick, mul(tie, 0.5));
  return sumTangents(add, ta ? mul(ta, wa) : null, tb ? mul(tb, sub(1, wa)) : null);
}

function selectVjp(g: Tensor, pick: Tensor, tie: Tensor, a: Tensor, b: Tensor, [na, nb]: boolean[]) {
  const wa = add(pick, mul(tie, 0.5));
  return [na ? sumTo(mul(g, wa), a.shape) : null, nb ? sumTo(mul(g, sub(1, wa)), b.shape) : null];
}

function b2(p: (typeof P)[keyof typeof P], a: TensorLike, b: TensorLike): Tensor {
  return bind(p, [asTensor(a, "a"), asTensor(b, "b")]);
}

export const add = (a: TensorLike, b: TensorLike): Tensor => b2(P.add, a, b);
export const sub = (a: TensorLike, b: TensorLike): Tensor => b2(P.sub, a, b);
export const mul = (a: TensorLike, b: TensorLike): Tensor => b2(P.mul, a, b);
export const div = (a: TensorLike, b: TensorLike): Tensor => b2(P.div, a, b);
export const pow = (a: TensorLike, b: TensorLike): Tensor => b2(P.pow, a, b);
/** Elementwise maximum; NaN propagates. */
export const maximum = (a: TensorLike, b: TensorLike): Tensor => b2(P.maximum, a, b);
/** Elementwise minimum; NaN propagates. */
export const minimum = (a: TensorLike, b: TensorLike): Tensor => b2(P.minimum, a, b);
export const greater = (a: TensorLike, b: TensorLike): Tensor => b2(P.greater, a, b);
export const greaterEqual = (a: TensorLike, b: TensorLike): Tensor => b2(P.greaterEqual, a, b);
export const less = (a: TensorLike, b: TensorLike): Tensor => b2(P.less, a, b);
export const lessEqual = (a: TensorLike, b: TensorLike): Tensor => b2(P.lessEqual, a, b);
export const equal = (a: TensorLike, b: TensorLike): Tensor => b2(P.equal, a, b);
export const notEqual = (a: TensorLike, b: TensorLike): Tensor => b2(P.notEqual, a, b);

/** Elementwise choice: `a` where `condition` is nonzero, else `b` (all three broadcast). */
export function where(condition: TensorLike, a: TensorLike, b: TensorLike): Tensor {
  return bind(P.where, [asTensor(condition, "condition"), asTensor(a, "a"), asTensor(b, "b")]);
}

/** Clamps to [lo, hi]. */
export function clip(x: TensorLike, lo: TensorLike, hi: TensorLike): Tensor {
  return minimum(maximum(x, lo), hi);
}
