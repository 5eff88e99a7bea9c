// Continuous adjoint of an ODE solve (Pontryagin; Chen et al. 2018, "Neural Ordinary Differential Equations", Alg. 1):
// between output times the augmented state [y, a, a_θ] is integrated backwards with
// y' = f, a' = −aᵀ∂f/∂y, a_θ' = −aᵀ∂f/∂θ (one VJP of f per evaluation); y restarts from the stored forward value at
// every output time (as torchdiffeq does) so the backward reconstruction of y does not drift.
import * as X from "@x/tensor";
import { ValueError } from "@x/tensor";
import { solveIvp } from "../solve-ivp.js";
import type { ExplicitMethodName } from "../types.js";
import { detach, fastField, type TensorField } from "./tensor-field.js";

export interface AdjointOptions {
  method: ExplicitMethodName;
  rtol?: number;
  atol?: number;
  adjointRtol?: number;
  adjointAtol?: number;
  /** Leave the parameter adjoint a_θ out of the backward solve's error norm (Kidger, Chen & Lyons, "'Hey, that's
   * not an ODE': faster ODE adjoints via seminorms", ICML 2021): a_θ does not feed back into the dynamics. */
  seminorm?: boolean;
  maxSteps?: number;
}

/** Function evaluations of the most recent adjoint backward pass (all intervals together). */
export const adjointStats = { backwardNfev: 0 };
const stats = adjointStats;

export function adjointSolve<P>(
  f: TensorField<P>,
  y0: X.Tensor,
  t: Float64Array,
  params: P,
  o: AdjointOptions,
): X.Tensor {
  const shape = y0.shape;
  const n = y0.size;
  const flat = X.treeFlatten(params, "params");
  const nt = t.length;
  const rtol = o.rtol ?? 1e-6;
  const atol = o.atol ?? 1e-8;

  const forward = (yInit: X.Tensor, leaves: X.Tensor[]): X.Tensor => {
    const p = flat.unflatten(leaves.map(detach)) as P;
    const r = solveIvp(fastField(f, shape, p), [t[0]!, t[nt - 1]!], yInit.data, {
      method: o.method,
      rtol,
      atol,
      tEval: t,
      maxSteps: o.maxSteps,
    });
    if (r.status !== 0) throw new ValueError(`odeint (adjoint): forward solve failed: ${r.message}`);
    // r.y is [n × nt]; return [nt, ...shape]
    const out = new Float64Array(nt * n);
    for (let j = 0; j < nt; j++) for (let i = 0; i < n; i++) out[j * n + i] = r.y[i * nt + j]!;
    return X.fromData(out, [nt, ...shape]);
  };

  const backward = (ys: X.Tensor, leaves: X.Tensor[], g: X.Tensor): X.Tensor[] => {
    const fixed = leaves.map(detach);
    const sizes = fixed.map((l) => l.size);
    const nθ = sizes.reduce((a, b) => a + b, 0);
    const gy = g.data;
    const ysd = ys.data;
    // z = [y (n), a (n), a_θ (nθ)]
    const aug = (tt: number, z: Float64Array, _a: unknown, out: Float64Array) => {
      const yT = X.fromData(z.slice(0, n), shape);
      const [fy, pull] = X.vjp((yy: X.Tensor, ...ls: X.Tensor[]) => f(tt, yy, flat.unflatten(ls) as P), yT, ...fixed);
      const ct = pull(X.fromData(z.slice(n, 2 * n), shape)) as X.Tensor[];
      out.set((fy as X.Tensor).data, 0);
      const vy = ct[0]!.data;
      for (let i = 0; i < n; i++) out[n + i] = -vy[i]!;
      let off = 2 * n;
      for (let k = 0; k < fixed.length; k++) {
        const c = ct[k + 1];
        const d = c ? c.data : new Float64Array(sizes[k]!);
        for (let i = 0; i < d.length; i++) out[off + i] = -d[i]!;
        off += sizes[k]!;
      }
    };
    const z = new Float64Array(2 * n + nθ);
    for (let i = 0; i < n; i++) z[n + i] = gy[(nt - 1) * n + i]!;
    const ra = o.adjointRtol ?? rtol;
    const aaScalar = o.adjointAtol ?? atol;
    // seminorm: an infinite absolute tolerance gives the a_θ components zero weight in the scaled error norm
    const aa = o.seminorm
      ? Float64Array.from({ length: 2 * n + nθ }, (_, i) => (i < 2 * n ? aaScalar : Number.POSITIVE_INFINITY))
      : aaScalar;
    stats.backwardNfev = 0;
    for (let j = nt - 1; j > 0; j--) {
      for (let i = 0; i < n; i++) z[i] = ysd[j * n + i]!;
      const r = solveIvp(aug, [t[j]!, t[j - 1]!], z, { method: o.method, rtol: ra, atol: aa, maxSteps: o.maxSteps });
      if (r.status !== 0) throw new ValueError(`odeint (adjoint): backward solve failed: ${r.message}`);
      stats.backwardNfev += r.stats.nfev;
      z.set(r.yEnd);
      for (let i = 0; i < n; i++) z[n + i] = z[n + i]! + gy[(j - 1) * n + i]!;
    }
    const grads: X.Tensor[] = [X.fromData(z.slice(n, 2 * n), shape)];
    let off = 2 * n;
    for (let k = 0; k < fixed.length; k++) {
      grads.push(X.fromData(z.slice(off, off + sizes[k]!), fixed[k]!.shape));
      off += sizes[k]!;
    }
    return grads;
  };

  const solve = X.customVjp(
    (yInit: X.Tensor, ...leaves: X.Tensor[]) => forward(yInit, leaves),
    (yInit: X.Tensor, ...leaves: X.Tensor[]) => {
      const ys = forward(yInit, leaves);
      return [ys, { ys, leaves }] as [X.Tensor, { ys: X.Tensor; leaves: X.Tensor[] }];
    },
    (res, g) => backward(res.ys, res.leaves, g),
  );
  return solve(y0, ...flat.leaves);
}
