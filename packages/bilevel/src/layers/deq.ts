// A fixed-point / deep-equilibrium layer (Bai, Kolter & Koltun, "Deep equilibrium models", NeurIPS
// 2019): z*(θ) = T(z*, θ) found by Anderson acceleration, differentiated by the implicit function
// theorem (customFixedPoint). A contractivity check estimates ‖∂T/∂z‖₂ at z* by power iteration on
// JᵀJ (jvp + vjp): below 1 the fixed point is unique and the Neumann/GMRES solves are well posed.
import { fromData, jvp, type Tensor, vjp } from "@x/tensor";
import { customFixedPoint } from "../custom-fixed-point.js";
import type { CustomRootOptions, RootFunction } from "../custom-root.js";
import { vnorm } from "../internal/vec.js";
import { type AndersonOptions, type AndersonResult, anderson } from "./anderson.js";

export interface DeqOptions extends AndersonOptions {
  /** Options of the derivative's linear solve (default GMRES). */
  linearSolve?: CustomRootOptions;
  /** Power iterations of the contractivity check (default 20; 0 disables it). */
  checkIters?: number;
}

export interface DeqLayer<P> extends RootFunction<P> {
  /** Anderson's report of the last forward solve. */
  lastAnderson: AndersonResult | undefined;
  /** Estimate of ‖∂T/∂z‖₂ at the last fixed point and whether it is < 1. */
  lastContractivity: { lipschitz: number; contractive: boolean } | undefined;
}

/** Estimate of ‖∂T/∂z(z, θ)‖₂ (power iteration on JᵀJ). */
export function contractivity<P>(T: (z: Tensor, theta: P) => Tensor, z: Tensor, theta: P, iters = 20): number {
  const Tz = (w: Tensor) => T(w, theta);
  const [, pull] = vjp(Tz, z);
  let v = new Float64Array(z.size).map((_, i) => 1 + ((i * 7919) % 11) / 11);
  let est = 0;
  for (let k = 0; k < iters; k++) {
    const nv = vnorm(v);
    if (nv === 0) return 0;
    v = v.map((x) => x / nv);
    const jv = jvp(Tz, [z], [fromData(Float64Array.from(v), z.shape)])[1] as Tensor;
    est = vnorm(jv.data);
    v = Float64Array.from((pull(jv)[0] as Tensor).data);
  }
  return est;
}

export function deqLayer<P>(T: (z: Tensor, theta: P) => Tensor, options: DeqOptions = {}): DeqLayer<P> {
  const solver = (init: Tensor, theta: P) => {
    const r = anderson(
      (z) => Float64Array.from(T(fromData(Float64Array.from(z), init.shape), theta).data),
      Float64Array.from(init.data),
      options,
    );
    layer.lastAnderson = r;
    const x = fromData(r.x, init.shape);
    const iters = options.checkIters ?? 20;
    if (iters > 0) {
      const L = contractivity(T, x, theta, iters);
      layer.lastContractivity = { lipschitz: L, contractive: L < 1 };
    }
    return { x, converged: r.converged, iterations: r.iterations, residual: r.residual };
  };
  const root = customFixedPoint(T, solver, options.linearSolve ?? {});
  const layer = ((init: Parameters<typeof root>[0], theta: P) => root(init, theta)) as DeqLayer<P>;
  Object.defineProperty(layer, "lastSolve", { get: () => root.lastSolve });
  Object.defineProperty(layer, "lastLinearSolve", { get: () => root.lastLinearSolve });
  layer.lastAnderson = undefined;
  layer.lastContractivity = undefined;
  return layer;
}
