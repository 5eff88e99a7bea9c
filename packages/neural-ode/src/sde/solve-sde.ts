// Fixed-step SDE solvers with diagonal noise, dY = f(t, Y)dt + g(t, Y)∘dW (or Itô), driven by a BrownianTree so that
// a path is reproducible at any step size (Kloeden & Platen, "Numerical Solution of SDEs", 1992):
// - "euler-maruyama" (Itô, strong order 1/2), "milstein" (Itô, diagonal noise, strong order 1),
// - "heun" (stochastic Heun / trapezoid predictor-corrector, Stratonovich, strong order 1 for commuting noise).
import { assertFinite, ValueError } from "@x/tensor";
import { OdeFailure, Rhs } from "../internal/rhs.js";
import type { OdeFunction } from "../types.js";
import { BrownianTree } from "./brownian-tree.js";

export type SdeMethod = "euler-maruyama" | "milstein" | "heun";

export interface SolveSdeOptions<A = unknown> {
  method?: SdeMethod;
  /** Step size (required). */
  dt: number;
  /** The driving Brownian motion (default: a BrownianTree over the span with `seed`). */
  bm?: BrownianTree;
  seed?: number;
  args?: A;
  /** ∂g_i/∂y_i for Milstein (default: forward differences). */
  dgdy?: OdeFunction<A>;
}

export interface SolveSdeResult {
  t: Float64Array;
  /** Row-major [n × nt]. */
  y: Float64Array;
  n: number;
  yEnd: Float64Array;
  status: 0 | -1;
  message: string;
  stats: { nfev: number; ngev: number; steps: number };
  failure?: { t: number; y: Float64Array };
}

export function solveSde<A = unknown>(
  drift: OdeFunction<A>,
  diffusion: OdeFunction<A>,
  [t0, t1]: readonly [number, number],
  y0In: ArrayLike<number>,
  options: SolveSdeOptions<A>,
): SolveSdeResult {
  const method = options.method ?? "euler-maruyama";
  if (!["euler-maruyama", "milstein", "heun"].includes(method))
    throw new ValueError(`solveSde: unknown method "${method}"`);
  if (!(Number.isFinite(t0) && Number.isFinite(t1) && t1 > t0)) {
    throw new ValueError(`solveSde: need finite t0 < t1, got [${t0}, ${t1}]`);
  }
  const dt = options.dt;
  if (!(dt > 0 && Number.isFinite(dt))) throw new ValueError(`solveSde: dt must be positive, got ${dt}`);
  const y = Float64Array.from(y0In);
  assertFinite(y, "solveSde: y0");
  const n = y.length;
  const bm = options.bm ?? new BrownianTree({ t0, t1, size: n, seed: options.seed ?? 0 });
  if (bm.size !== n) throw new ValueError(`solveSde: bm has ${bm.size} components, y0 has ${n}`);
  if (bm.t0 > t0 || bm.t1 < t1) throw new ValueError(`solveSde: bm covers [${bm.t0}, ${bm.t1}], not [${t0}, ${t1}]`);
  const args = options.args as A;
  const fr = new Rhs(drift, n, args);
  const gr = new Rhs(diffusion, n, args);
  const dr = options.dgdy ? new Rhs(options.dgdy, n, args) : null;
  const steps = Math.max(1, Math.ceil((t1 - t0) / dt - 1e-9));
  const h = (t1 - t0) / steps;
  const ts = new Float64Array(steps + 1);
  const ys = new Float64Array(n * (steps + 1));
  const put = (j: number) => {
    for (let i = 0; i < n; i++) ys[i * (steps + 1) + j] = y[i]!;
  };
  const f = new Float64Array(n);
  const g = new Float64Array(n);
  const f2 = new Float64Array(n);
  const g2 = new Float64Array(n);
  const yp = new Float64Array(n);
  const dg = new Float64Array(n);
  const wPrev = bm.value(t0);
  const wNext = new Float64Array(n);
  ts[0] = t0;
  put(0);
  let status: 0 | -1 = 0;
  let message = "The solver successfully reached the end of the integration interval.";
  let failure: { t: number; y: Float64Array } | undefined;
  let t = t0;
  try {
    for (let k = 0; k < steps; k++) {
      const tn = k + 1 === steps ? t1 : t0 + (k + 1) * h;
      bm.value(tn, wNext);
      fr.eval(t, y, f);
      gr.eval(t, y, g);
      if (method === "euler-maruyama") {
        for (let i = 0; i < n; i++) y[i] = y[i]! + f[i]! * h + g[i]! * (wNext[i]! - wPrev[i]!);
      } else if (method === "milstein") {
        if (dr) dr.eval(t, y, dg);
        else {
          // forward difference of the diagonal g_i in y_i (diagonal noise)
          for (let i = 0; i < n; i++) {
            const d = Math.sqrt(Number.EPSILON) * Math.max(1, Math.abs(y[i]!));
            yp.set(y);
            yp[i] = y[i]! + d;
            gr.eval(t, yp, g2);
            dg[i] = (g2[i]! - g[i]!) / d;
          }
        }
        for (let i = 0; i < n; i++) {
          const dW = wNext[i]! - wPrev[i]!;
          y[i] = y[i]! + f[i]! * h + g[i]! * dW + 0.5 * g[i]! * dg[i]! * (dW * dW - h);
        }
      } else {
        for (let i = 0; i < n; i++) yp[i] = y[i]! + f[i]! * h + g[i]! * (wNext[i]! - wPrev[i]!);
        fr.eval(tn, yp, f2);
        gr.eval(tn, yp, g2);
        for (let i = 0; i < n; i++) {
          y[i] = y[i]! + 0.5 * (f[i]! + f2[i]!) * h + 0.5 * (g[i]! + g2[i]!) * (wNext[i]! - wPrev[i]!);
        }
      }
      wPrev.set(wNext);
      t = tn;
      for (let i = 0; i < n; i++) {
        if (!Number.isFinite(y[i]!)) throw new OdeFailure(`the solution became non-finite at t=${t}`, t, y.slice());
      }
      ts[k + 1] = t;
      put(k + 1);
    }
  } catch (e) {
    if (!(e instanceof OdeFailure)) throw e;
    status = -1;
    message = e.message;
    failure = { t: e.t, y: e.y };
  }
  return {
    t: ts,
    y: ys,
    n,
    yEnd: y.slice(),
    status,
    message,
    stats: { nfev: fr.nfev, ngev: gr.nfev, steps },
    ...(failure ? { failure } : {}),
  };
}
