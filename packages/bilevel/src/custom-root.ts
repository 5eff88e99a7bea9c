// Implicit differentiation of a root x*(θ) of F(x, θ) = 0: Blondel et al., "Efficient and Modular
// Implicit Differentiation" (NeurIPS 2022), as JAXopt's custom_root. By the implicit function theorem
// ∂x*/∂θ = −A⁻¹B with A = ∂F/∂x, B = ∂F/∂θ at (x*, θ); reverse mode solves Aᵀu = x̄ and returns
// θ̄ = −Bᵀu, forward mode solves A ẋ = −B θ̇. A and B are touched only through jvp/vjp of F, so the
// inner solver itself is never differentiated (any solver, any number of iterations). Higher order: the
// solution u(x*, θ, ḡ) of Aᵀu = ḡ is again the root of an equation, so the rule is a second customRoot
// written with differentiable products (the idea of JAX's custom_linear_solve).
import {
  add,
  asTensor,
  customJvp,
  customVjp,
  fromData,
  jvp,
  neg,
  reshape,
  ShapeError,
  stopGradient,
  sub,
  Tensor,
  type TensorLike,
  treeFlatten,
  ValueError,
  vjp,
  zerosLike,
} from "@x/tensor";
import { checkSolveOptions, type LinearSolveInfo, type LinearSolveOptions, solveLinear } from "./linear-solve.js";

/** What an inner solver may return instead of a bare tensor: its own convergence report. */
export interface InnerResult {
  x: Tensor;
  converged?: boolean;
  iterations?: number;
  residual?: number;
}

/** The inner solver's status as recorded by customRoot. */
export interface InnerStatus {
  converged: boolean;
  iterations: number;
  residual: number;
}

export type InnerSolver<P> = (init: Tensor, theta: P) => Tensor | InnerResult;

export interface CustomRootOptions extends LinearSolveOptions {
  /** Called after every linear solve of a derivative (mode "vjp" or "jvp"). */
  onLinearSolve?: (info: LinearSolveInfo & { mode: "vjp" | "jvp" }) => void;
}

/** root(init, θ) = x*(θ), differentiable by the implicit function theorem, plus its last reports. */
export interface RootFunction<P> {
  (init: TensorLike, theta: P): Tensor;
  /** The inner solver's status on its last run (converged NaN-free true when it returned a bare tensor). */
  lastSolve: InnerStatus | undefined;
  /** The last derivative linear solve (undefined until a derivative has been taken). */
  lastLinearSolve: (LinearSolveInfo & { mode: "vjp" | "jvp" }) | undefined;
}

const isTracer = (t: Tensor) => t._level > 0;

/**
 * Wraps `solver(init, θ) → x*` so that grad/vjp/jvp through x* use the implicit function theorem for
 * F(x*, θ) = 0. θ may be a pytree of tensors; x* is one tensor of any shape and F(x, θ) has x's shape.
 * Derivatives of any order: the rules are themselves implicit functions (see `tracedAdjoint`), so grad of
 * grad, HVPs and jvp-of-grad through x* work.
 */
export function customRoot<P>(
  F: (x: Tensor, theta: P) => Tensor,
  solver: InnerSolver<P>,
  options: CustomRootOptions = {},
): RootFunction<P> {
  checkSolveOptions(options, "customRoot");
  let unflatten: (leaves: Tensor[]) => P = () => {
    throw new ValueError("customRoot: internal error (no theta structure)");
  };

  const runSolver = (init: Tensor, leaves: Tensor[]): Tensor => {
    const theta = unflatten(leaves.map((l) => stopGradient(l)));
    const r = solver(stopGradient(init), theta);
    const res = r instanceof Tensor ? { x: r } : r;
    if (!res || !(res.x instanceof Tensor)) {
      throw new ValueError("customRoot: solver must return a Tensor or { x: Tensor, converged?, iterations? }");
    }
    const x = res.x;
    if (x.size !== init.size) {
      throw new ShapeError(`customRoot: solver returned ${x.size} values for an init of ${init.size}`);
    }
    const finite = x.data.every(Number.isFinite);
    root.lastSolve = {
      converged: (res.converged ?? true) && finite,
      iterations: res.iterations ?? Number.NaN,
      residual: res.residual ?? Number.NaN,
    };
    return reshape(x, init.shape);
  };

  // F on flat leaves at a fixed θ structure, with the shape check every path shares.
  const evalF = (z: Tensor, ls: Tensor[], uf: (l: Tensor[]) => P, n: number): Tensor => {
    const out = F(z, uf(ls));
    if (!(out instanceof Tensor) || out.size !== n) {
      throw new ShapeError(
        `customRoot: F(x, θ) must return a tensor with x's ${n} entries, got ${out instanceof Tensor ? out.size : typeof out}`,
      );
    }
    return out;
  };

  // The two linear maps of the theorem at a concrete (x*, θ), on flat vectors (the fast path).
  const jacobians = (x: Tensor, leaves: Tensor[], uf: (l: Tensor[]) => P) => {
    const n = x.size;
    const Fx = (z: Tensor) => evalF(z, leaves, uf, n);
    const [, pullX] = vjp(Fx, x);
    const A = (v: Float64Array) =>
      Float64Array.from((jvp(Fx, [x], [fromData(Float64Array.from(v), x.shape)])[1] as Tensor).data);
    const AT = (u: Float64Array) =>
      Float64Array.from((pullX(fromData(Float64Array.from(u), x.shape))[0] as Tensor).data);
    // B θ̇ = ∂F/∂θ · θ̇ (forward) and Bᵀu (reverse), as tensors.
    const B = (ts: Tensor[]) => jvp((...ls: Tensor[]) => evalF(x, ls, uf, n), leaves, ts)[1] as Tensor;
    const BT = (u: Tensor) => vjp((...ls: Tensor[]) => evalF(x, ls, uf, n), ...leaves)[1](u) as Tensor[];
    return { n, A, AT, B, BT };
  };

  // The same maps written with differentiable ops at a possibly traced (x*, θ): used when the derivative
  // itself is differentiated (grad of grad, HVP), so every product is recorded by the outer traces.
  const tracedMaps = (x: Tensor, leaves: Tensor[], uf: (l: Tensor[]) => P) => {
    const n = x.size;
    const Fx = (z: Tensor) => evalF(z, leaves, uf, n);
    return {
      A: (v: Tensor) => jvp(Fx, [x], [v])[1] as Tensor,
      AT: (u: Tensor) => vjp(Fx, x)[1](u)[0] as Tensor,
      B: (ts: Tensor[]) => jvp((...ls: Tensor[]) => evalF(x, ls, uf, n), leaves, ts)[1] as Tensor,
      BT: (u: Tensor) => vjp((...ls: Tensor[]) => evalF(x, ls, uf, n), ...leaves)[1](u) as Tensor[],
    };
  };

  const report = (info: LinearSolveInfo, mode: "vjp" | "jvp") => {
    const full = { ...info, mode };
    root.lastLinearSolve = full;
    options.onLinearSolve?.(full);
  };

  // CG assumes A symmetric, so A's products from the (cheaper to reuse) pullback serve.
  const symmetric = options.solve === undefined || options.solve === "cg";

  // Numerical solves of the two systems of the theorem: Aᵀu = ḡ (reverse) and A ẋ = −Bθ̇ (forward).
  type Jac = ReturnType<typeof jacobians>;
  const solveAdjoint = (x: Tensor, g: Tensor, J: Jac) => {
    const { A, AT } = J;
    // normal-cg on Aᵀ needs products with A as its transpose.
    const { y, info } = solveLinear(AT, A, Float64Array.from(g.data), options);
    report(info, "vjp");
    return { y: fromData(y, x.shape), info };
  };
  const solveTangent = (x: Tensor, leaves: Tensor[], uf: (l: Tensor[]) => P, ts: Tensor[]) => {
    const { A, AT, B } = jacobians(x, leaves, uf);
    const b = Float64Array.from(B(ts).data, (v) => -v);
    const { y, info } = solveLinear(symmetric ? AT : A, AT, b, options);
    report(info, "jvp");
    return { y: fromData(y, x.shape), info };
  };

  // Differentiable versions: the solution of a linear system is itself an implicit function of
  // (x*, θ, right-hand side), so it is a second customRoot whose F is the (traced) residual. Its own
  // derivatives need solves with the transposed matrix, again by customRoot — any order works.
  const nested = (): CustomRootOptions => ({ ...options, onLinearSolve: (i) => report(i, i.mode) });
  const tracedAdjoint = (x: Tensor, leaves: Tensor[], uf: (l: Tensor[]) => P, g: Tensor): Tensor => {
    const nl = leaves.length;
    const adj = customRoot(
      (u: Tensor, p: Tensor[]) => sub(tracedMaps(p[0]!, p.slice(2, 2 + nl), uf).AT(u), p[1]!),
      (_init: Tensor, p: Tensor[]) => {
        const ls = p.slice(2, 2 + nl);
        const { y, info } = solveAdjoint(p[0]!, p[1]!, jacobians(p[0]!, ls, uf));
        return { x: y, converged: info.converged, iterations: info.iterations, residual: info.residual };
      },
      nested(),
    );
    return adj(zerosLike(x), [x, g, ...leaves]);
  };
  const tracedTangent = (x: Tensor, leaves: Tensor[], uf: (l: Tensor[]) => P, ts: Tensor[]): Tensor => {
    const nl = leaves.length;
    const tan = customRoot(
      (y: Tensor, p: Tensor[]) => {
        const m = tracedMaps(p[0]!, p.slice(1, 1 + nl), uf);
        return add(m.A(y), m.B(p.slice(1 + nl)));
      },
      (_init: Tensor, p: Tensor[]) => {
        const { y, info } = solveTangent(p[0]!, p.slice(1, 1 + nl), uf, p.slice(1 + nl));
        return { x: y, converged: info.converged, iterations: info.iterations, residual: info.residual };
      },
      nested(),
    );
    return tan(zerosLike(x), [x, ...leaves, ...ts]);
  };

  type Wrapped = (init: Tensor, ...leaves: Tensor[]) => Tensor;
  const viaJvp: Wrapped = customJvp(
    (init: Tensor, ...leaves: Tensor[]) => runSolver(init, leaves),
    (primals: Tensor[], tangents: Tensor[]): [Tensor, Tensor] => {
      const [init, ...leaves] = primals;
      const uf = unflatten;
      const out: Tensor = viaVjp(init!, ...leaves);
      const ts = tangents.slice(1);
      if (isTracer(out) || leaves.some(isTracer) || ts.some(isTracer)) {
        return [out, tracedTangent(out, leaves, uf, ts)];
      }
      return [out, solveTangent(out, leaves, uf, ts).y];
    },
  );

  const viaVjp: Wrapped = customVjp(
    (init: Tensor, ...leaves: Tensor[]) => viaJvp(init, ...leaves),
    (init: Tensor, ...leaves: Tensor[]): [Tensor, { x: Tensor; leaves: Tensor[]; uf: (l: Tensor[]) => P }] => {
      const x: Tensor = viaVjp(init, ...leaves);
      return [x, { x, leaves, uf: unflatten }];
    },
    ({ x, leaves, uf }, g) => {
      // θ̄ = −Bᵀu with Aᵀu = ḡ.
      if (isTracer(x) || leaves.some(isTracer) || isTracer(g)) {
        const u = tracedAdjoint(x, leaves, uf, g);
        return [null, ...tracedMaps(x, leaves, uf).BT(neg(u))];
      }
      // One set of products serves the solve and Bᵀu (a single linearisation of F in x).
      const J = jacobians(x, leaves, uf);
      const { y: u } = solveAdjoint(x, g, J);
      return [null, ...J.BT(neg(u))];
    },
  );

  const root = ((init: TensorLike, theta: P) => {
    const flat = treeFlatten(theta, "theta");
    unflatten = (leaves) => flat.unflatten(leaves) as P;
    return viaVjp(asTensor(init, "init"), ...flat.leaves);
  }) as RootFunction<P>;
  root.lastSolve = undefined;
  root.lastLinearSolve = undefined;
  return root;
}
