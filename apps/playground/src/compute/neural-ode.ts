// neural-ode page: one explicit and one stiff solver on Van der Pol, with every accepted step.
import { solveIvp } from "@x/neural-ode";
import type { Compute } from "../protocol.js";
import { odeOptions, span, vanDerPol, Y0 } from "./ode-problem.js";

export interface OdeRun {
  method: string;
  success: boolean;
  message: string;
  accepted: number;
  rejected: number;
  nfev: number;
  njev: number;
  ms: number;
  /** States at accepted steps (subsampled to ≤ maxPoints for drawing). */
  y1: number[];
  y2: number[];
  /** Step start times and sizes of accepted steps (subsampled likewise). */
  t: number[];
  h: number[];
  stride: number;
  yEnd: number[];
}

export interface OdeResult {
  mu: number;
  t1: number;
  runs: OdeRun[];
}

const MAX_POINTS = 2500;

export const compute: Compute = (params, progress) => {
  const mu = Number(params.mu);
  const rtol = Number(params.rtol);
  const tspan = span(mu);
  const methods = [String(params.explicit), String(params.stiff)];
  const runs: OdeRun[] = methods.map((method, k) => {
    progress(k / methods.length, `${method}: integrating to t = ${tspan[1].toFixed(1)}`);
    const t0 = performance.now();
    const r = solveIvp(vanDerPol, tspan, Y0, odeOptions(method, mu, rtol));
    const ms = performance.now() - t0;
    const nt = r.t.length;
    const stride = Math.max(1, Math.ceil(nt / MAX_POINTS));
    const pick = <T>(f: (j: number) => T) => Array.from({ length: Math.ceil(nt / stride) }, (_, q) => f(q * stride));
    const ints = r.internals!;
    const ni = ints.t.length;
    const si = Math.max(1, Math.ceil(ni / MAX_POINTS));
    return {
      method,
      success: r.success,
      message: r.message,
      accepted: r.stats.accepted,
      rejected: r.stats.rejected,
      nfev: r.stats.nfev,
      njev: r.stats.njev,
      ms,
      y1: pick((j) => r.y[j]!),
      y2: pick((j) => r.y[nt + j]!),
      t: Array.from({ length: Math.ceil(ni / si) }, (_, q) => ints.t[q * si]!),
      h: Array.from({ length: Math.ceil(ni / si) }, (_, q) => ints.h[q * si]!),
      stride,
      yEnd: Array.from(r.yEnd),
    };
  });
  return { mu, t1: tspan[1], runs } satisfies OdeResult;
};
