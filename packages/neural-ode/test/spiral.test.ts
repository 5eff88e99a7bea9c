// The neural-ODE training example on a tiny instance: Adam drives the loss down; regularised variants run and report
// finite penalties and NFE. Also checks the regulariser values against their definitions on a linear field.
import * as X from "@x/tensor";
import { describe, expect, it } from "vitest";
import { trainSpiral } from "../examples/spiral.js";
import { solveRegularised } from "../src/index.js";

describe("spiral neural ODE (tiny)", () => {
  it("Adam reduces the training loss; NFE of the learned field is reported", () => {
    const r = trainSpiral({ iterations: 10, hidden: 8, batch: 4, segment: 4, points: 30, lr: 0.03 });
    const first = r.losses.slice(0, 3).reduce((a, b) => a + b) / 3;
    const last = r.losses.slice(-3).reduce((a, b) => a + b) / 3;
    expect(last).toBeLessThan(0.8 * first);
    expect(r.nfe).toBeGreaterThan(0);
    expect(Number.isFinite(r.finalMse)).toBe(true);
  });

  it("with the error and kinetic regularisers the loss stays finite and still decreases", () => {
    const r = trainSpiral({
      iterations: 10,
      hidden: 8,
      batch: 4,
      segment: 4,
      points: 30,
      lr: 0.03,
      errorWeight: 0.3,
      kineticWeight: 0.05,
    });
    expect(r.losses.every(Number.isFinite)).toBe(true);
    expect(r.losses.at(-1)!).toBeLessThan(r.losses[0]!);
  });
});

describe("regulariser definitions", () => {
  it("y' = λy with fixed steps: KE = Σ h‖λy_j‖², stiffness penalty = Σ (hλ)², error penalty ≥ 0", () => {
    const lambda = -1.5;
    const h = 0.1;
    const r = solveRegularised((_t, y, p: X.Tensor) => X.mul(p, y), X.tensor([1]), [0, 1], X.tensor(lambda), {
      h,
      method: "tsit5",
    });
    expect(r.steps).toBe(10);
    // exact discrete states of the replayed steps: y_j = R(hλ)^j with R the stability function (here read back)
    const yEnd = r.ys.data[1]!;
    const R = yEnd ** (1 / 10);
    let ke = 0;
    for (let j = 0; j < 10; j++) ke += h * (lambda * R ** j) ** 2;
    expect(Math.abs(r.kineticEnergy.item() - ke)).toBeLessThan(1e-12);
    expect(Math.abs(r.stiffnessPenalty.item() - 10 * (h * lambda) ** 2)).toBeLessThan(1e-8);
    expect(r.errorPenalty.item()).toBeGreaterThanOrEqual(0);
    // the penalties are differentiable in the parameter
    const g = X.grad(
      (p: X.Tensor) =>
        solveRegularised((_t, y, q: X.Tensor) => X.mul(q, y), X.tensor([1]), [0, 1], p, { h }).kineticEnergy,
    )(X.tensor(lambda)) as X.Tensor;
    expect(Number.isFinite(g.item())).toBe(true);
  });
});
