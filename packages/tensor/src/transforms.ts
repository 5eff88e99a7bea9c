// JAX-style functional transforms over tensors and pytrees: vjp, grad, valueAndGrad, jvp, hvp,
// jacobian, hessian, customVjp, customJvp. Each opens its own trace (see autodiff/trace.ts), so
// they nest in any order.
import {
  backward,
  bind,
  jvpTracer,
  newNode,
  type Primitive,
  type Tangent,
  vjpTracer,
  withTrace,
} from "./autodiff/trace.js";
import { ShapeError, ValueError } from "./errors.js";
import { add } from "./ops/binary.js";
import { zeros } from "./ops/creation.js";
import { concat, reshape, stack } from "./ops/shape-ops.js";
import { type PyTree, treeFlatten } from "./pytree.js";
import { fmtShape, shapesEqual } from "./shape.js";
import { asTensor, fromF64, type Tensor, type TensorLike } from "./tensor.js";

type Fn = (...args: any[]) => any;

function checkLike(t: Tensor, like: Tensor, what: string): Tensor {
  if (!shapesEqual(t.shape, like.shape)) {
    throw new ShapeError(`${what}: expected shape ${fmtShape(like.shape)}, got ${fmtShape(t.shape)}`);
  }
  return t;
}

/**
 * Reverse mode: returns f(...primals) and a pullback mapping an output cotangent (same structure
 * as the output) to cotangents of the primals (same structure as the primals).
 */
export function vjp<F extends Fn>(f: F, ...primals: Parameters<F>): [ReturnType<F>, (cotangent: PyTree) => any[]] {
  const flatIn = treeFlatten(primals, "primals");
  return withTrace("vjp", (trace) => {
    const leafNodes = flatIn.leaves.map(() => newNode([], null));
    const tracers = flatIn.leaves.map((x, i) => vjpTracer(trace, x, leafNodes[i]!));
    const out = f(...(flatIn.unflatten(tracers) as unknown[]));
    const flatOut = treeFlatten(out, "output of f");
    const ours = (o: Tensor) => o._trace === trace;
    const primalOut = flatOut.unflatten(flatOut.leaves.map((o) => (ours(o) ? o._primal! : o)));
    const outNodes = flatOut.leaves.map((o) => (ours(o) ? o._node! : null));
    const pullback = (cotangent: PyTree) => {
      const cts = treeFlatten(cotangent, "cotangent").leaves;
      if (cts.length !== outNodes.length) {
        throw new ShapeError(`vjp: cotangent has ${cts.length} leaves, the output has ${outNodes.length}`);
      }
      cts.forEach((c, i) => checkLike(c, flatOut.leaves[i]!, `vjp: cotangent leaf ${i}`));
      const gs = backward(outNodes, cts, leafNodes, add);
      return flatIn.unflatten(gs.map((g, i) => g ?? zeros(flatIn.leaves[i]!.shape))) as any[];
    };
    return [primalOut as ReturnType<F>, pullback];
  });
}

/** Forward mode: f(...primals) and its directional derivative along `tangents`. */
export function jvp<F extends Fn>(f: F, primals: Parameters<F>, tangents: unknown[]): [ReturnType<F>, any] {
  const flatIn = treeFlatten(primals, "primals");
  const flatT = treeFlatten(tangents, "tangents").leaves;
  if (flatT.length !== flatIn.leaves.length) {
    throw new ShapeError(`jvp: ${flatT.length} tangent leaves for ${flatIn.leaves.length} primal leaves`);
  }
  return withTrace("jvp", (trace) => {
    const tracers = flatIn.leaves.map((x, i) => jvpTracer(trace, x, checkLike(flatT[i]!, x, `jvp: tangent leaf ${i}`)));
    const out = f(...(flatIn.unflatten(tracers) as unknown[]));
    const flatOut = treeFlatten(out, "output of f");
    const ours = (o: Tensor) => o._trace === trace;
    const primalOut = flatOut.unflatten(flatOut.leaves.map((o) => (ours(o) ? o._primal! : o)));
    const tangentOut = flatOut.unflatten(
      flatOut.leaves.map((o) => (ours(o) && o._tangent ? o._tangent : zeros(o.shape))),
    );
    return [primalOut as ReturnType<F>, tangentOut];
  });
}

export interface GradOptions {
  /** Which positional argument(s) to differentiate (default 0). */
  argnums?: number | number[];
  /** f returns [value, aux]; aux is passed through undifferentiated. */
  hasAux?: boolean;
}

function normArgnums(a: number | number[] | GradOptions | undefined): GradOptions {
  if (a === undefined) return {};
  if (typeof a === "number" || Array.isArray(a)) return { argnums: a };
  return a;
}

/** Returns (...args) => [f(...args), ∇f] (and aux with hasAux). f must return a scalar. */
export function valueAndGrad<F extends Fn>(f: F, options?: number | number[] | GradOptions) {
  const { argnums = 0, hasAux = false } = normArgnums(options);
  const idx = typeof argnums === "number" ? [argnums] : argnums;
  return (...args: Parameters<F>): [Tensor, any, unknown?] => {
    for (const i of idx) {
      if (!Number.isInteger(i) || i < 0 || i >= args.length) {
        throw new ValueError(`grad: argnums ${i} is out of range for ${args.length} arguments`);
      }
    }
    let aux: unknown;
    const g = (...diff: unknown[]) => {
      const all = [...args];
      idx.forEach((k, j) => {
        all[k] = diff[j];
      });
      const r = f(...all);
      if (hasAux) {
        aux = r[1];
        return r[0];
      }
      return r;
    };
    const [out, pullback] = vjp(g, ...(idx.map((k) => args[k]) as any));
    const v = asTensor(out as TensorLike, "output of f");
    if (v.size !== 1) throw new ShapeError(`grad: f must return a scalar, got shape ${fmtShape(v.shape)}`);
    const gs = pullback(fromF64(Float64Array.of(1), v.shape));
    const grads = typeof argnums === "number" ? gs[0] : gs;
    return hasAux ? [v, grads, aux] : [v, grads];
  };
}

/** ∇f as a function. With argnums a list, returns a list of gradients. */
export function grad<F extends Fn>(f: F, options?: number | number[] | GradOptions) {
  const vg = valueAndGrad(f, options);
  return (...args: Parameters<F>): any => vg(...args)[1];
}

/** Hessian-vector product H(x)·v by forward-over-reverse (one gradient's cost, times a small constant). */
export function hvp<F extends Fn>(f: F, x: Parameters<F>[0], v: unknown): any {
  const g: Fn = grad(f);
  return jvp(g, [x], [v])[1];
}

export interface JacobianOptions {
  /** "rev": one VJP per output entry; "fwd": one JVP per input entry; default picks the cheaper. */
  mode?: "rev" | "fwd";
}

/** Jacobian of a tensor → tensor function, shaped out.shape ++ x.shape. */
export function jacobian(f: (x: Tensor) => Tensor, options: JacobianOptions = {}) {
  return (xIn: TensorLike): Tensor => {
    const x = asTensor(xIn);
    const basis = (n: number, i: number, shape: readonly number[]) => {
      const d = new Float64Array(n);
      d[i] = 1;
      return fromF64(d, shape);
    };
    const [out, pullback] = vjp(f, x);
    const y = asTensor(out as TensorLike, "output of f");
    const mode = options.mode ?? (y.size <= x.size ? "rev" : "fwd");
    if (y.size === 0 || x.size === 0) return zeros([...y.shape, ...x.shape]);
    if (mode === "rev") {
      const rows = Array.from({ length: y.size }, (_, i) => reshape(pullback(basis(y.size, i, y.shape))[0], [x.size]));
      return reshape(stack(rows), [...y.shape, ...x.shape]);
    }
    const cols = Array.from({ length: x.size }, (_, j) => {
      const t = jvp(f, [x], [basis(x.size, j, x.shape)])[1] as Tensor;
      return reshape(t, [y.size, 1]);
    });
    return reshape(concat(cols, 1), [...y.shape, ...x.shape]);
  };
}

/** Hessian of a scalar function (forward-over-reverse), shaped x.shape ++ x.shape. */
export function hessian(f: (x: Tensor) => Tensor) {
  const g: (x: Tensor) => Tensor = grad(f);
  return jacobian(g, { mode: "fwd" });
}

/**
 * f with a user-supplied reverse rule: fwd returns [output, residuals], bwd(residuals, g) returns one
 * cotangent (or null) per argument. Forward-mode transforms differentiate f itself.
 */
export function customVjp<A extends Tensor[], R>(
  f: (...args: A) => Tensor,
  fwd: (...args: A) => [Tensor, R],
  bwd: (residuals: R, g: Tensor) => (Tensor | null)[],
): (...args: { [K in keyof A]: TensorLike }) => Tensor {
  const prim: Primitive = {
    name: "CustomVjp",
    impl: (inputs) => f(...(inputs as A)),
    decompose: (inputs) => f(...(inputs as A)),
    linearize: (primals) => {
      const [out, res] = fwd(...(primals as A));
      return [
        out,
        (g) => {
          const cts = bwd(res, g);
          if (cts.length !== primals.length) {
            throw new ShapeError(`customVjp: bwd returned ${cts.length} cotangents for ${primals.length} arguments`);
          }
          return cts.map((c, i) => (c === null ? null : checkLike(c, primals[i]!, `customVjp: cotangent ${i}`)));
        },
      ];
    },
  };
  return (...args) =>
    bind(
      prim,
      args.map((a, i) => asTensor(a as TensorLike, `args[${i}]`)),
    );
}

/**
 * f with a user-supplied forward rule: rule(primals, tangents) returns [output, tangent output],
 * linear in the tangents. Reverse mode transposes that linear map by differentiating it.
 */
export function customJvp<A extends Tensor[]>(
  f: (...args: A) => Tensor,
  rule: (primals: A, tangents: A) => [Tensor, Tensor],
): (...args: { [K in keyof A]: TensorLike }) => Tensor {
  const fill = (primals: Tensor[], tangents: Tangent[]) => tangents.map((t, i) => t ?? zeros(primals[i]!.shape)) as A;
  const prim: Primitive = {
    name: "CustomJvp",
    impl: (inputs) => f(...(inputs as A)),
    jvpFull: (primals, tangents) => rule(primals as A, fill(primals, tangents)),
    linearize: (primals) => {
      const out = bind(prim, primals);
      const pullback = (g: Tensor) => {
        const zerosT = primals.map((p) => zeros(p.shape));
        const [, pb] = vjp((...ts: Tensor[]) => rule(primals as A, ts as A)[1], ...zerosT);
        return pb(g) as Tensor[];
      };
      return [out, pullback];
    },
  };
  return (...args) =>
    bind(
      prim,
      args.map((a, i) => asTensor(a as TensorLike, `args[${i}]`)),
    );
}
