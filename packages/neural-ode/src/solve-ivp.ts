// solveIvp: SciPy `solve_ivp`-style entry point over Float64Array vector fields.
import { assertFinite, Tensor, ValueError } from "@x/tensor";
import { bosh3 } from "./explicit/bosh3.js";
import { dop853 } from "./explicit/dop853.js";
import { dopri5 } from "./explicit/dopri5.js";
import { euler } from "./explicit/euler.js";
import { heun } from "./explicit/heun.js";
import { midpoint } from "./explicit/midpoint.js";
import { RkStepper } from "./explicit/rk-stepper.js";
import { rk4 } from "./explicit/rk4.js";
import type { ButcherTableau } from "./explicit/tableau.js";
import { tsit5 } from "./explicit/tsit5.js";
import { integrate } from "./integrate.js";
import { ErrorNorm } from "./internal/error-norm.js";
import { Rhs } from "./internal/rhs.js";
import type { Stepper } from "./stepper.js";
import { AutoSwitch } from "./stiff/auto-switch.js";
import { Rodas4 } from "./stiff/rodas4.js";
import { TrBdf2 } from "./stiff/tr-bdf2.js";
import type { MethodName, OdeEvent, OdeFunction, SolveIvpOptions, SolveIvpResult } from "./types.js";

export const tableaus: Record<string, ButcherTableau> = { euler, midpoint, heun, rk4, bosh3, dopri5, tsit5, dop853 };
const FIXED = new Set(["euler", "rk4"]);

/**
 * Solve y' = f(t, y, args) from t0 to t1. The fast path: `f(t, y, args, out)` on Float64Array (return a new array
 * or fill `out`). Defaults: method "auto", rtol 1e-3, atol 1e-6 (SciPy's).
 */
export function solveIvp<A = unknown>(
  f: OdeFunction<A>,
  tSpan: readonly [number, number] | ArrayLike<number>,
  y0In: ArrayLike<number>,
  options: SolveIvpOptions<A> = {},
): SolveIvpResult {
  if (typeof f !== "function") throw new ValueError("solveIvp: f must be a function (t, y, args, out) => dy");
  if (tSpan?.length !== 2) throw new ValueError("solveIvp: tSpan must be [t0, t1]");
  const t0 = Number(tSpan[0]);
  const t1 = Number(tSpan[1]);
  if (!Number.isFinite(t0) || !Number.isFinite(t1)) {
    throw new ValueError(`solveIvp: tSpan must be finite, got [${t0}, ${t1}]`);
  }
  if (t0 === t1) throw new ValueError(`solveIvp: tSpan must have t1 != t0, got t0 = t1 = ${t0}`);
  const y0 = Float64Array.from(y0In);
  if (y0.length === 0) throw new ValueError("solveIvp: y0 must have at least one component");
  assertFinite(y0, "solveIvp: y0");
  const n = y0.length;
  const method: MethodName = options.method ?? "auto";
  const rtol = options.rtol ?? 1e-3;
  const atol = options.atol ?? 1e-6;
  if (!(rtol > 0) || !Number.isFinite(rtol)) throw new ValueError(`solveIvp: rtol must be positive, got ${rtol}`);
  if (typeof atol === "number") {
    if (!(atol >= 0) || !Number.isFinite(atol)) throw new ValueError(`solveIvp: atol must be ≥ 0, got ${atol}`);
  } else {
    if (atol.length !== n) throw new ValueError(`solveIvp: atol has length ${atol.length}, expected ${n}`);
    for (let i = 0; i < n; i++) {
      if (!(atol[i]! >= 0)) throw new ValueError(`solveIvp: atol[${i}] must be ≥ 0, got ${atol[i]}`);
    }
  }
  const dir = t1 > t0 ? 1 : -1;
  let tEval: Float64Array | undefined;
  if (options.tEval !== undefined) {
    tEval = Float64Array.from(options.tEval);
    const lo = Math.min(t0, t1);
    const hi = Math.max(t0, t1);
    for (let i = 0; i < tEval.length; i++) {
      const te = tEval[i]!;
      if (!(te >= lo && te <= hi)) {
        throw new ValueError(`solveIvp: tEval[${i}] = ${te} is outside the span [${t0}, ${t1}]`);
      }
      if (i > 0 && dir * (te - tEval[i - 1]!) < 0) {
        throw new ValueError(`solveIvp: tEval must be sorted in the direction of integration (index ${i})`);
      }
    }
  }
  for (const key of ["h", "h0", "maxStep"] as const) {
    const v = options[key];
    if (v !== undefined && !((v > 0 && Number.isFinite(v)) || (key === "maxStep" && v === Number.POSITIVE_INFINITY))) {
      throw new ValueError(`solveIvp: ${key} must be a positive number, got ${v}`);
    }
  }
  const maxSteps = options.maxSteps ?? 100000;
  if (!Number.isInteger(maxSteps) || maxSteps < 1) {
    throw new ValueError(`solveIvp: maxSteps must be a positive integer, got ${maxSteps}`);
  }
  const events: OdeEvent<A>[] =
    options.events === undefined
      ? []
      : Array.isArray(options.events)
        ? options.events
        : [options.events as OdeEvent<A>];
  events.forEach((g, i) => {
    if (typeof g !== "function")
      throw new ValueError(`solveIvp: events[${i}] must be a function (t, y, args) => number`);
  });

  const args = options.args as A;
  const rhs = new Rhs(f, n, args);
  const norm = new ErrorNorm(n, rtol, atol);
  let stepper: Stepper;
  let counters: (() => { njev: number; nlu: number }) | undefined;
  if (method in tableaus) {
    const tab = tableaus[method]!;
    if (FIXED.has(method) && options.h === undefined && options.h0 === undefined) {
      throw new ValueError(`solveIvp: method "${method}" is fixed-step; pass options.h`);
    }
    stepper = new RkStepper(tab, rhs, norm);
  } else if (method === "rodas4" || method === "trbdf2" || method === "auto") {
    const s =
      method === "rodas4"
        ? new Rodas4(rhs, norm, options.jac, args)
        : method === "trbdf2"
          ? new TrBdf2(rhs, norm, options.jac, args)
          : new AutoSwitch(rhs, norm, options.jac, args);
    stepper = s;
    counters = () => ({ njev: s.njev, nlu: s.nlu });
  } else {
    throw new ValueError(`solveIvp: unknown method "${method}"`);
  }
  return integrate(rhs, stepper, norm, t0, t1, y0, {
    tEval,
    denseOutput: options.denseOutput ?? false,
    events,
    args,
    maxSteps,
    h0: options.h0,
    fixedH: options.h,
    maxStep: options.maxStep ?? Number.POSITIVE_INFINITY,
    internals: options.internals ?? false,
    counters,
  });
}

/** Convenience: the method's ButcherTableau (read-only), e.g. to inspect coefficients. */
export function butcherTableau(name: string): ButcherTableau {
  const t = tableaus[name];
  if (!t) throw new ValueError(`butcherTableau: unknown method "${name}"`);
  return t;
}

/**
 * Batched initial conditions: one independent solve per row of y0s (each with its own step sizes, like a vmap'd
 * diffrax solve). Accepts nested rows or a [batch, n] Tensor / row-major array with `n` given.
 */
export function solveIvpBatch<A = unknown>(
  f: OdeFunction<A>,
  tSpan: readonly [number, number] | ArrayLike<number>,
  y0s: ArrayLike<ArrayLike<number>> | Tensor,
  options: SolveIvpOptions<A> = {},
): SolveIvpResult[] {
  let rows: ArrayLike<number>[];
  if (y0s instanceof Tensor) {
    if (y0s.shape.length !== 2)
      throw new ValueError(`solveIvpBatch: y0s must be [batch, n], got [${y0s.shape.join(", ")}]`);
    const [b, n] = y0s.shape as [number, number];
    const d = y0s.data;
    rows = Array.from({ length: b }, (_, i) => d.subarray(i * n, (i + 1) * n));
  } else {
    rows = Array.from(y0s as ArrayLike<ArrayLike<number>>);
  }
  if (rows.length === 0) throw new ValueError("solveIvpBatch: y0s must hold at least one initial condition");
  const n = rows[0]!.length;
  rows.forEach((r, i) => {
    if (r?.length !== n) throw new ValueError(`solveIvpBatch: y0s[${i}] has length ${r?.length}, expected ${n}`);
  });
  return rows.map((r) => solveIvp(f, tSpan, r, options));
}
