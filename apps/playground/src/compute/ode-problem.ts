// The neural-ode page's problem (shared with the browser test): the Van der Pol oscillator in the stiff
// scaling of Hairer & Wanner (Solving ODEs II, §IV.1), y₁' = y₂, y₂' = ((1 − y₁²) y₂ − y₁)/ε with ε = 1/μ²,
// from (2, −0.66) over about 1.5 periods. Stiff for large μ: explicit methods are held back by stability.
import type { JacFunction, OdeFunction, SolveIvpOptions } from "@x/neural-ode";

export const vanDerPol: OdeFunction<number> = (_t, y, eps, out) => {
  out[0] = y[1]!;
  out[1] = ((1 - y[0]! * y[0]!) * y[1]! - y[0]!) / eps;
};

export const vanDerPolJac: JacFunction<number> = (_t, y, eps, out) => {
  out[0] = 0;
  out[1] = 1;
  out[2] = (-2 * y[0]! * y[1]! - 1) / eps;
  out[3] = (1 - y[0]! * y[0]!) / eps;
};

export const Y0 = [2, -0.66];

/** About 1.5 periods: the period is ≈ (3 − 2 ln 2) + 7.01 μ^(−4/3) in this time scale (≈ 6.66 at μ = 1). */
export function span(mu: number): [number, number] {
  return [0, 1.5 * Math.min(3 - 2 * Math.log(2) + 7.014 * mu ** (-4 / 3), 6.66)];
}

export function odeOptions(method: string, mu: number, rtol: number): SolveIvpOptions<number> {
  return {
    method: method as SolveIvpOptions["method"],
    rtol,
    atol: rtol * 1e-2,
    args: 1 / (mu * mu),
    internals: true,
    maxSteps: 200_000,
    ...(method === "rodas4" || method === "trbdf2" || method === "auto" ? { jac: vanDerPolJac } : {}),
  };
}
