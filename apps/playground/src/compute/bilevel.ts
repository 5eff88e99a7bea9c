// bilevel page: hypergradient descent on the log-regulariser λ of ridge regression,
// λ ← λ − η ∇F(λ), with ∇F by implicit differentiation and by unrolled inner gradient descent.
import * as B from "@x/bilevel";
import * as X from "@x/tensor";
import type { Compute } from "../protocol.js";
import { ridgeData } from "./bilevel-data.js";

export interface PathPoint {
  k: number;
  lambda: number;
  value: number;
  grad: number;
}

export interface BilevelResult {
  /** Validation loss F(λ) on a grid, by the closed form (the landscape the paths move on). */
  curve: { lambda: number; value: number }[];
  paths: { method: string; points: PathPoint[]; ms: number }[];
  /** Closed-form minimiser of F on the grid. */
  best: { lambda: number; value: number };
  /** ∇F(λ₀) by the closed form, to compare with the first step of each path. */
  closedFormGrad0: number;
}

export const METHODS: B.HypergradientMethod[] = ["implicit", "unrolled"];

export function descend(
  p: B.RidgeProblem,
  method: B.HypergradientMethod,
  lambda0: number,
  lr: number,
  steps: number,
  innerSteps: number,
  onStep: (k: number) => void = () => {},
): PathPoint[] {
  const points: PathPoint[] = [];
  let lam = lambda0;
  for (let k = 0; k <= steps; k++) {
    const r = B.hypergradient(p.outer, p.inner, X.tensor([lam]), { x0: p.x0, method, innerSteps });
    const g = r.grad.data[0]!;
    points.push({ k, lambda: lam, value: r.value, grad: g });
    onStep(k);
    if (k < steps) lam -= lr * g;
  }
  return points;
}

export const compute: Compute = (params, progress) => {
  const p = ridgeData(Number(params.seed));
  const steps = Number(params.steps);
  const curve = Array.from({ length: 121 }, (_, i) => {
    const lambda = -4 + (14 * i) / 120;
    return { lambda, value: p.closedForm([lambda]).value };
  });
  const best = curve.reduce((a, b) => (b.value < a.value ? b : a));
  const paths = METHODS.map((method, m) => {
    const t0 = performance.now();
    const points = descend(
      p,
      method,
      Number(params.lambda0),
      Number(params.lr),
      steps,
      Number(params.innerSteps),
      (k) => progress((m + k / steps) / METHODS.length, `${method}: step ${k} of ${steps}`),
    );
    return { method, points, ms: performance.now() - t0 };
  });
  const closedFormGrad0 = p.closedForm([Number(params.lambda0)]).grad.data[0]!;
  return { curve, paths, best, closedFormGrad0 } satisfies BilevelResult;
};
