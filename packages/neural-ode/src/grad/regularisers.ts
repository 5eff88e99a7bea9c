// Differentiable solver-heuristic and kinetic-energy regularisers for neural ODEs, computed on the replayed steps of
// the discretise-then-optimise path:
// - error regulariser R_E = Σ_steps |h_j|·E_j with E_j the scaled RMS norm of the embedded local error estimate (the
//   quantity step-size control compares with 1; the scale atol + rtol·|y| is held constant) (Pal, Ma,
//   Shah & Rackauckas, "Opening the Blackbox: Accelerating Neural Differential Equations by Regularizing Internal
//   Solver Heuristics", ICML 2021), and the stiffness regulariser R_S = Σ (h·‖Δk‖/‖ΔY‖)² of the same paper;
// - kinetic energy R_K = ∫‖f‖² dt by the steps' left Riemann sum (Finlay, Jacobsen, Nurbekyan & Oberman, "How to
//   train your neural ODE", ICML 2020).
import * as X from "@x/tensor";
import { ValueError } from "@x/tensor";
import { solveIvp, tableaus } from "../solve-ivp.js";
import type { ExplicitMethodName } from "../types.js";
import { checkTimes, detach, fastField, type TensorField } from "./tensor-field.js";

export interface RegularisedSolveOptions {
  method?: ExplicitMethodName;
  rtol?: number;
  atol?: number;
  /** Fixed step (else the steps of an adaptive solve of the detached problem). */
  h?: number;
}

export interface RegularisedSolve {
  /** [ts.length, ...y0.shape], differentiable like odeint's backprop path. */
  ys: X.Tensor;
  /** Σ over steps of |h|·E, E = RMS of (h·Σ e_i k_i)/(atol + rtol·max(|y|, |y1|)) — the step controller's error. */
  errorPenalty: X.Tensor;
  /** Σ over steps of the squared stiffness indicator (h·‖k_s − k_{s−1}‖/‖y1 − Y_{s−1}‖)². */
  stiffnessPenalty: X.Tensor;
  /** ∫‖f(t, y)‖² dt (left Riemann sum over the steps). */
  kineticEnergy: X.Tensor;
  /** Function evaluations of the forward (adaptive) solve that chose the steps. */
  nfe: number;
  steps: number;
}

export function solveRegularised<P>(
  f: TensorField<P>,
  y0: X.Tensor,
  ts: ArrayLike<number>,
  params: P,
  options: RegularisedSolveOptions = {},
): RegularisedSolve {
  const t = checkTimes(ts, "solveRegularised");
  const method = options.method ?? "dopri5";
  const tab = tableaus[method];
  if (!tab?.e) throw new ValueError(`solveRegularised: method "${method}" has no embedded error estimate`);
  const detached = X.treeMap((l: X.Tensor) => detach(l), params as X.PyTree) as P;
  const fast = fastField(f, y0.shape, detached);
  const n = y0.size;
  let yF: Float64Array = Float64Array.from(y0.data);
  let nfe = 0;
  let steps = 0;
  let y = y0;
  const outs: X.Tensor[] = [y0];
  let errP: X.Tensor = X.scalarTensor(0);
  let stiffP: X.Tensor = X.scalarTensor(0);
  let ke: X.Tensor = X.scalarTensor(0);
  const s = tab.stages;
  const rtol = options.rtol ?? 1e-6;
  const atol = options.atol ?? 1e-8;
  for (let i = 0; i + 1 < t.length; i++) {
    const a = t[i]!;
    const b = t[i + 1]!;
    let grid: [number, number][];
    if (options.h !== undefined) {
      const m = Math.max(1, Math.ceil(Math.abs(b - a) / options.h - 1e-9));
      grid = Array.from({ length: m }, (_, j) => [a + (j * (b - a)) / m, (b - a) / m]);
    } else {
      const r = solveIvp(fast, [a, b], yF, { method, rtol, atol, internals: true });
      if (r.status !== 0) throw new ValueError(`solveRegularised: forward solve failed on [${a}, ${b}]: ${r.message}`);
      nfe += r.stats.nfev;
      yF = r.yEnd;
      grid = Array.from(r.internals!.t, (tt, j) => [tt, r.internals!.h[j]!]);
    }
    for (const [tt, h] of grid) {
      steps++;
      const k: X.Tensor[] = [f(tt, y, params)];
      let last = y;
      for (let st = 1; st < s; st++) {
        let acc = y;
        const ai = tab.a[st]!;
        for (let j = 0; j < st; j++) if (ai[j] !== 0) acc = X.add(acc, X.mul(h * ai[j]!, k[j]!));
        k.push(f(tt + tab.c[st]! * h, acc, params));
        last = acc;
      }
      let y1 = y;
      for (let j = 0; j < s; j++) if (tab.b[j] !== 0) y1 = X.add(y1, X.mul(h * tab.b[j]!, k[j]!));
      const f1 = f(tt + h, y1, params);
      k.push(f1);
      let err: X.Tensor = X.zerosLike(y);
      for (let j = 0; j <= s; j++) if (tab.e[j] !== 0) err = X.add(err, X.mul(h * tab.e[j]!, k[j]!));
      const y0d = y.data;
      const y1d = y1.data;
      const sc = X.fromData(
        Float64Array.from(y0d, (v, m) => atol + rtol * Math.max(Math.abs(v), Math.abs(y1d[m]!))),
        y.shape,
      );
      const rms = X.sqrt(X.add(X.div(X.sum(X.square(X.div(err, sc))), n), 1e-300));
      errP = X.add(errP, X.mul(Math.abs(h), rms));
      // h²‖Δk‖²/‖ΔY‖² (the squared stiffness indicator)
      const dk = X.sum(X.square(X.sub(f1, k[s - 1]!)));
      const dy = X.sum(X.square(X.sub(y1, last)));
      stiffP = X.add(stiffP, X.div(X.mul(h * h, dk), X.add(dy, 1e-300)));
      ke = X.add(ke, X.mul(Math.abs(h), X.sum(X.square(k[0]!))));
      y = y1;
    }
    outs.push(y);
  }
  return { ys: X.stack(outs), errorPenalty: errP, stiffnessPenalty: stiffP, kineticEnergy: ke, nfe, steps };
}
