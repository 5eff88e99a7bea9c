import { BrownianTree, odeint, solveIvp, solveSde } from "@x/neural-ode";
import * as X from "@x/tensor";

const e = (v: number) => v.toExponential(3);

export const neuralOdeSection = {
  title: "@x/neural-ode — stiff ODEs with open internals, adjoint gradients, SDEs",
  run(): string[] {
    const out: string[] = [];
    // Stiff van der Pol μ = 1000 on [0, 3000]: the "auto" default starts with Tsit5 and switches to Rodas4.
    const mu = 1000;
    const vdp = (_t: number, y: Float64Array) => [y[1]!, mu * (1 - y[0]! * y[0]!) * y[1]! - y[0]!];
    const t0 = performance.now();
    const r = solveIvp(vdp, [0, 3000], [2, 0], { rtol: 1e-6, atol: 1e-6, internals: true });
    const ms = performance.now() - t0;
    const { nfev, njev, nlu, accepted, rejected } = r.stats;
    const methods = r.internals!.method;
    const stiffSteps = methods.filter((m) => m === "rodas4").length;
    out.push(
      `van der Pol μ=1000, t ∈ [0, 3000]: y(3000) = [${Array.from(r.yEnd, (v) => v.toFixed(6)).join(", ")}] (SciPy Radau: [-1.510607, 0.001178])`,
    );
    out.push(
      `  ${ms.toFixed(1)} ms, nfev ${nfev}, njev ${njev}, nlu ${nlu}, accepted ${accepted}, rejected ${rejected}; ${stiffSteps} Rodas4 steps, ${methods.length - stiffSteps} Tsit5 steps`,
    );

    // Robertson chemical kinetics on [0, 1e5] with Rodas4.
    const rob = (_t: number, y: Float64Array) => [
      -0.04 * y[0]! + 1e4 * y[1]! * y[2]!,
      0.04 * y[0]! - 1e4 * y[1]! * y[2]! - 3e7 * y[1]! * y[1]!,
      3e7 * y[1]! * y[1]!,
    ];
    const rr = solveIvp(rob, [0, 1e5], [1, 0, 0], { method: "rodas4", rtol: 1e-8, atol: [1e-10, 1e-16, 1e-10] });
    out.push(
      `Robertson t=1e5 (Rodas4): [${Array.from(rr.yEnd, e).join(", ")}] (SciPy Radau 1e-10: [1.787e-2, 7.275e-8, 9.821e-1]), ${rr.stats.accepted} steps`,
    );

    // Gradient of a loss through an ODE solve: y' = tanh(W y) − 0.5 y, L = Σ y(t)² at t = 0.5, 1.
    const f = (_t: number, y: X.Tensor, W: X.Tensor) =>
      X.sub(X.tanh(X.reshape(X.matmul(W, X.reshape(y, [2, 1])), [2])), X.mul(0.5, y));
    const W = X.tensor([
      [0.5, -1.2],
      [1.1, 0.3],
    ]);
    const y0 = X.tensor([1, -0.5]);
    const loss = (adjoint: boolean) => (Wm: X.Tensor) =>
      X.sum(X.square(odeint(f, y0, [0, 0.5, 1], Wm, { adjoint, rtol: 1e-9, atol: 1e-11 })));
    const gA = X.grad(loss(true))(W) as X.Tensor;
    const gB = X.grad(loss(false))(W) as X.Tensor;
    const h = 1e-6;
    const Wp = X.tensor([0.5, -1.2 + h, 1.1, 0.3], [2, 2]);
    const Wm = X.tensor([0.5, -1.2 - h, 1.1, 0.3], [2, 2]);
    const fd = (loss(false)(Wp).item() - loss(false)(Wm).item()) / (2 * h);
    out.push(`∂L/∂W via continuous adjoint: [${Array.from(gA.data, (v) => v.toFixed(8)).join(", ")}]`);
    out.push(`∂L/∂W via backprop through Dopri5: [${Array.from(gB.data, (v) => v.toFixed(8)).join(", ")}]`);
    out.push(
      `  ∂L/∂W[0,1]: adjoint ${gA.data[1]!.toFixed(8)}, backprop ${gB.data[1]!.toFixed(8)}, central difference ${fd.toFixed(8)}`,
    );

    // Geometric Brownian motion by Milstein on a seeded Brownian tree: the exact solution uses the same path.
    const bm = new BrownianTree({ t0: 0, t1: 1, size: 1, seed: 7 });
    const gbm = solveSde(
      (_t, y) => [0.5 * y[0]!],
      (_t, y) => [0.8 * y[0]!],
      [0, 1],
      [1],
      { method: "milstein", dt: 1 / 256, bm },
    );
    const exact = Math.exp(0.5 - 0.32 + 0.8 * bm.value(1)[0]!);
    out.push(
      `GBM by Milstein (dt=1/256, seed 7): X(1) = ${gbm.yEnd[0]!.toFixed(6)}, exact on the same path ${exact.toFixed(6)}`,
    );
    return out;
  },
};
