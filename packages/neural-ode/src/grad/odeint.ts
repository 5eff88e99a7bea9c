// odeint: differentiable ODE solves on @x/tensor (torchdiffeq / diffrax conventions).
// - adjoint: false (default) — discretise-then-optimise: the step sizes are chosen by an adaptive solve of the
//   detached problem, then the same steps are replayed with tensor ops, so gradients are exact for that discretisation.
//   `checkpoint: k` stores only every k-th state and recomputes each block in the backward pass (Griewank 1992).
// - adjoint: true — optimise-then-discretise: the continuous adjoint a' = −aᵀ∂f/∂y, a_θ' = −aᵀ∂f/∂θ solved backwards
//   (Pontryagin; Chen et al., "Neural Ordinary Differential Equations", NeurIPS 2018), O(1) memory in the steps.
import * as X from "@x/tensor";
import { ValueError } from "@x/tensor";
import { solveIvp, tableaus } from "../solve-ivp.js";
import type { ExplicitMethodName } from "../types.js";
import { adjointSolve } from "./adjoint.js";
import { rkStepTensor } from "./rk-tensor.js";
import { assertFiniteTree, checkTimes, detach, fastField, type TensorField } from "./tensor-field.js";

export interface OdeintOptions {
  /** Explicit method used for the steps (default "dopri5"). */
  method?: ExplicitMethodName;
  rtol?: number;
  atol?: number;
  /** Fixed step instead of adaptive step selection. */
  h?: number;
  /** Continuous adjoint for the gradients (default false: backprop through the solver). */
  adjoint?: boolean;
  /** Backprop only: keep every k-th step and recompute blocks of k steps in the backward pass. */
  checkpoint?: number;
  /** Adjoint only: tolerances of the backward solve (default: rtol/atol). */
  adjointRtol?: number;
  adjointAtol?: number;
  /** Adjoint only: exclude the parameter adjoint from the backward error norm (seminorm adjoint). */
  adjointSeminorm?: boolean;
  maxSteps?: number;
}

export interface OdeintStats {
  /** Steps per output interval of the forward grid. */
  steps: number;
}

/**
 * Solve y' = f(t, y, params) and return y at the times ts as a Tensor of shape [ts.length, ...y0.shape]
 * (ys[0] = y0). Differentiable in y0 and in every Tensor leaf of params.
 */
export function odeint<P>(
  f: TensorField<P>,
  y0: X.Tensor,
  ts: ArrayLike<number>,
  params: P,
  options: OdeintOptions = {},
): X.Tensor {
  const t = checkTimes(ts, "odeint");
  if (!(y0 instanceof X.Tensor)) throw new ValueError("odeint: y0 must be a Tensor");
  X.assertFinite(y0.data, "odeint: y0");
  assertFiniteTree(params, "odeint: params");
  const method = options.method ?? "dopri5";
  const tab = tableaus[method];
  if (!tab) throw new ValueError(`odeint: unknown explicit method "${method}"`);
  if (options.adjoint) return adjointSolve(f, y0, t, params, { ...options, method, seminorm: options.adjointSeminorm });
  const grid = stepGrid(f, y0, t, params, options, method);
  const k = options.checkpoint ?? 0;
  if (k !== 0 && (!Number.isInteger(k) || k < 1)) {
    throw new ValueError(`odeint: checkpoint must be a positive integer, got ${k}`);
  }
  const flat = X.treeFlatten(params, "params");
  const outs: X.Tensor[] = [y0];
  let y = y0;
  for (let i = 0; i + 1 < t.length; i++) {
    const steps = grid[i]!;
    if (k === 0) {
      for (const [tt, h] of steps) y = rkStepTensor(tab, f, tt, y, h, params);
    } else {
      for (let s = 0; s < steps.length; s += k) {
        const block = steps.slice(s, s + k);
        const run = (yy: X.Tensor, ...leaves: X.Tensor[]) => {
          const p = flat.unflatten(leaves) as P;
          for (const [tt, h] of block) yy = rkStepTensor(tab, f, tt, yy, h, p);
          return yy;
        };
        // the block's tape lives only inside the backward pass: memory O(k + steps/k)
        const blockFn = X.customVjp(
          run,
          (yy: X.Tensor, ...leaves: X.Tensor[]) => [run(yy, ...leaves), [yy, leaves] as const],
          ([yy, leaves], g) => {
            const [, pull] = X.vjp(run, yy, ...leaves);
            return pull(g) as X.Tensor[];
          },
        );
        y = blockFn(y, ...flat.leaves);
      }
    }
    outs.push(y);
  }
  return X.stack(outs);
}

/** Step sizes [t, h] per output interval: fixed h, or the accepted steps of an adaptive solve of the detached problem. */
function stepGrid<P>(
  f: TensorField<P>,
  y0: X.Tensor,
  t: Float64Array,
  params: P,
  options: OdeintOptions,
  method: ExplicitMethodName,
): [number, number][][] {
  const grid: [number, number][][] = [];
  const fixed = options.h;
  if (fixed !== undefined && !(fixed > 0)) throw new ValueError(`odeint: h must be positive, got ${fixed}`);
  const detached = X.treeMap((l: X.Tensor) => detach(l), params as X.PyTree) as P;
  const fast = fastField(f, y0.shape, detached);
  let y: Float64Array = Float64Array.from(y0.data);
  for (let i = 0; i + 1 < t.length; i++) {
    const a = t[i]!;
    const b = t[i + 1]!;
    if (fixed !== undefined) {
      const n = Math.max(1, Math.ceil(Math.abs(b - a) / fixed - 1e-9));
      const h = (b - a) / n;
      grid.push(Array.from({ length: n }, (_, j) => [a + j * h, h] as [number, number]));
      continue;
    }
    const r = solveIvp(fast, [a, b], y, {
      method,
      rtol: options.rtol ?? 1e-6,
      atol: options.atol ?? 1e-8,
      internals: true,
      maxSteps: options.maxSteps,
    });
    if (r.status !== 0) throw new ValueError(`odeint: forward solve failed on [${a}, ${b}]: ${r.message}`);
    const { t: ts, h } = r.internals!;
    grid.push(Array.from(ts, (tt, j) => [tt, h[j]!] as [number, number]));
    y = r.yEnd;
  }
  return grid;
}
