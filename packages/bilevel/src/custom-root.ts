// Implicit differentiation of a root x*(θ) of F(x, θ) = 0: Blondel et al., "Efficient and Modular
// Implicit Differentiation" (NeurIPS 2022), as JAXopt's custom_root. By the implicit function theorem
// ∂x*/∂θ = −A⁻¹B with A = ∂F/∂x, B = ∂F/∂θ at (x*, θ); reverse mode solves Aᵀu = x̄ and returns
// θ̄ = −Bᵀu, forward mode solves A ẋ = −B θ̇. A and B are touched only through jvp/vjp of F, so the
// inner solver itself is never differentiated (any solver, any number of iterations).
import {
  asTensor,
  customJvp,
  customVjp,
  fromData,
  jvp,
  reshape,
  ShapeError,
  stopGradient,
  Tensor,
  type TensorLike,
  treeFlatten,
  UnsupportedError,
  ValueError,
  vjp,
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
 * Derivatives are first order: differentiating the derivative again throws UnsupportedError.
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

  // The two linear maps of the theorem at (x*, θ), on flat vectors.
  const jacobians = (x: Tensor, leaves: Tensor[], fn: string) => {
    if (isTracer(x) || leaves.some(isTracer)) {
      throw new UnsupportedError(`${fn}: higher-order derivatives through an implicit solution are not supported`);
    }
    const n = x.size;
    const Fx = (z: Tensor) => {
      const out = F(z, unflatten(leaves));
      if (!(out instanceof Tensor) || out.size !== n) {
        throw new ShapeError(
          `customRoot: F(x, θ) must return a tensor with x's ${n} entries, got ${out instanceof Tensor ? out.size : typeof out}`,
        );
      }
      return out;
    };
    const [, pullX] = vjp(Fx, x);
    const A = (v: Float64Array) =>
      Float64Array.from((jvp(Fx, [x], [fromData(Float64Array.from(v), x.shape)])[1] as Tensor).data);
    const AT = (u: Float64Array) =>
      Float64Array.from((pullX(fromData(Float64Array.from(u), x.shape))[0] as Tensor).data);
    return { n, A, AT };
  };

  const report = (info: LinearSolveInfo, mode: "vjp" | "jvp") => {
    const full = { ...info, mode };
    root.lastLinearSolve = full;
    options.onLinearSolve?.(full);
  };

  type Wrapped = (init: Tensor, ...leaves: Tensor[]) => Tensor;
  const viaJvp: Wrapped = customJvp(
    (init: Tensor, ...leaves: Tensor[]) => runSolver(init, leaves),
    (primals: Tensor[], tangents: Tensor[]): [Tensor, Tensor] => {
      const [init, ...leaves] = primals;
      const out: Tensor = viaVjp(init!, ...leaves);
      const { A, AT } = jacobians(out, leaves, "customRoot (jvp)");
      if (tangents.some(isTracer)) {
        throw new UnsupportedError("customRoot (jvp): higher-order derivatives are not supported");
      }
      const [, Bt] = jvp((...ls: Tensor[]) => F(out, unflatten(ls)), leaves, tangents.slice(1));
      const b = Float64Array.from((Bt as Tensor).data, (v) => -v);
      // CG assumes A symmetric, so A's products from the (cheaper to reuse) pullback serve.
      const sym = options.solve === undefined || options.solve === "cg";
      const { y, info } = solveLinear(sym ? AT : A, AT, b, options);
      report(info, "jvp");
      return [out, fromData(y, out.shape)];
    },
  );

  const viaVjp: Wrapped = customVjp(
    (init: Tensor, ...leaves: Tensor[]) => viaJvp(init, ...leaves),
    (init: Tensor, ...leaves: Tensor[]): [Tensor, { x: Tensor; leaves: Tensor[] }] => {
      const x: Tensor = viaVjp(init, ...leaves);
      return [x, { x, leaves }];
    },
    ({ x, leaves }, g) => {
      const { A, AT } = jacobians(x, leaves, "customRoot (vjp)");
      if (isTracer(g)) throw new UnsupportedError("customRoot (vjp): higher-order derivatives are not supported");
      // Solve Aᵀu = ḡ: normal-cg on Aᵀ needs products with A as its transpose.
      const { y: u, info } = solveLinear(AT, A, Float64Array.from(g.data), options);
      report(info, "vjp");
      const [, pullT] = vjp((...ls: Tensor[]) => F(x, unflatten(ls)), ...leaves);
      const negU = fromData(
        Float64Array.from(u, (v) => -v),
        x.shape,
      );
      return [null, ...(pullT(negU) as Tensor[])];
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
