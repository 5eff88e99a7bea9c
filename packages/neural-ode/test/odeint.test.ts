// Gradients through ODE solves: backprop (with and without checkpointing) ≈ continuous adjoint ≈ finite differences
// ≈ closed forms.
import * as X from "@x/tensor";
import { ValueError } from "@x/tensor";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { adjointStats, odeint } from "../src/index.js";

// y' = θ0·y + θ1 (scalar per component, elementwise), closed form y(T) = (y0 + θ1/θ0) e^{θ0 T} − θ1/θ0
const affine = (_t: number, y: X.Tensor, p: X.Tensor[]) => X.add(X.mul(p[0]!, y), p[1]!);

// A small nonlinear field with a matrix parameter: y' = tanh(W y) − 0.5 y
const tanhField = (_t: number, y: X.Tensor, p: { W: X.Tensor }) =>
  X.sub(X.tanh(X.reshape(X.matmul(p.W, X.reshape(y, [2, 1])), [2])), X.mul(0.5, y));

const lossAt = (ys: X.Tensor) => X.sum(X.square(ys));

describe("odeint", () => {
  it("values match the closed form of an affine ODE and ys[0] = y0", () => {
    const ys = odeint(affine, X.tensor([1, 2]), [0, 0.5, 1], [X.tensor(-0.7), X.tensor(0.3)], {
      rtol: 1e-10,
      atol: 1e-12,
    });
    expect(ys.shape).toEqual([3, 2]);
    const d = ys.data;
    const r = 0.3 / -0.7;
    [1, 2].forEach((y0, i) => {
      expect(d[i]!).toBeCloseTo(y0, 14);
      expect(Math.abs(d[4 + i]! - ((y0 + r) * Math.exp(-0.7) - r))).toBeLessThan(1e-9);
    });
  });

  it("d y(T)/d θ0 matches the closed form for backprop and adjoint", () => {
    const T = 1.3;
    const y0 = 0.8;
    const th1 = 0.2;
    const loss = (th0: X.Tensor, adjoint: boolean) =>
      X.sum(
        X.slice(odeint(affine, X.tensor([y0]), [0, T], [th0, X.tensor(th1)], { adjoint, rtol: 1e-10, atol: 1e-12 }), [
          [1, 2],
        ]),
      );
    const th0 = -0.4;
    // ∂/∂θ0 of (y0 + θ1/θ0)e^{θ0T} − θ1/θ0
    const exact = (-th1 / th0 ** 2) * Math.exp(th0 * T) + (y0 + th1 / th0) * T * Math.exp(th0 * T) + th1 / th0 ** 2;
    for (const adjoint of [false, true]) {
      const g = X.grad((p: X.Tensor) => loss(p, adjoint))(X.tensor(th0)) as X.Tensor;
      expect(Math.abs(g.item() - exact)).toBeLessThan(1e-7);
    }
  });

  it("property: backprop, checkpointed backprop, adjoint and central differences agree (tanh field)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 4, maxLength: 4 }),
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 2, maxLength: 2 }),
        (w, y0v) => {
          const W = X.tensor(w, [2, 2]);
          const y0 = X.tensor(y0v);
          const ts = [0, 0.5, 1.5];
          const opts = { rtol: 1e-9, atol: 1e-11 };
          const L = (o: object) => (y: X.Tensor, Wm: X.Tensor) =>
            lossAt(odeint(tanhField, y, ts, { W: Wm }, { ...opts, ...o }));
          const [gyB, gWB] = X.grad(L({}), [0, 1])(y0, W) as X.Tensor[];
          const [gyC, gWC] = X.grad(L({ checkpoint: 3 }), [0, 1])(y0, W) as X.Tensor[];
          const [gyA, gWA] = X.grad(L({ adjoint: true }), [0, 1])(y0, W) as X.Tensor[];
          // checkpointing recomputes the same operations: identical up to round-off
          for (let i = 0; i < 2; i++) expect(Math.abs(gyB!.data[i]! - gyC!.data[i]!)).toBeLessThan(1e-12);
          for (let i = 0; i < 4; i++) expect(Math.abs(gWB!.data[i]! - gWC!.data[i]!)).toBeLessThan(1e-12);
          // adjoint (optimise-then-discretise) vs backprop (discretise-then-optimise): both within solver tolerance
          for (let i = 0; i < 2; i++) expect(Math.abs(gyB!.data[i]! - gyA!.data[i]!)).toBeLessThan(1e-6);
          for (let i = 0; i < 4; i++) expect(Math.abs(gWB!.data[i]! - gWA!.data[i]!)).toBeLessThan(1e-6);
          // central differences on one weight
          const eps = 1e-5;
          const Lw = (d: number) => {
            const wp = [...w];
            wp[1] = wp[1]! + d;
            return L({})(y0, X.tensor(wp, [2, 2])).item();
          };
          const fd = (Lw(eps) - Lw(-eps)) / (2 * eps);
          expect(Math.abs(fd - gWA!.data[1]!)).toBeLessThan(1e-5);
        },
      ),
      { numRuns: 3 },
    );
  });

  it("seminorm adjoint: same gradient within tolerance, no more backward evaluations", () => {
    const W = X.tensor([0.9, -1.3, 1.2, 0.4], [2, 2]);
    const y0 = X.tensor([1, -0.5]);
    const run = (adjointSeminorm: boolean) => {
      const g = X.grad((Wm: X.Tensor) =>
        lossAt(odeint(tanhField, y0, [0, 1, 3], { W: Wm }, { adjoint: true, adjointSeminorm, rtol: 1e-7, atol: 1e-9 })),
      )(W) as X.Tensor;
      return { g, nfev: adjointStats.backwardNfev };
    };
    const full = run(false);
    const semi = run(true);
    for (let i = 0; i < 4; i++) expect(Math.abs(full.g.data[i]! - semi.g.data[i]!)).toBeLessThan(1e-5);
    expect(semi.nfev).toBeLessThanOrEqual(full.nfev);
  });

  it("fixed step backprop differentiates the discrete map exactly (Euler: y_N = (1 + hθ)^N y0)", () => {
    const N = 10;
    const g = X.grad((th: X.Tensor) =>
      X.sum(
        X.slice(
          odeint((_t, y, p: X.Tensor) => X.mul(p, y), X.tensor([1]), [0, 1], th, { method: "euler", h: 1 / N }),
          [[1, 2]],
        ),
      ),
    )(X.tensor(0.5)) as X.Tensor;
    const exact = N * (1 + 0.5 / N) ** (N - 1) * (1 / N);
    expect(Math.abs(g.item() - exact)).toBeLessThan(1e-13);
  });

  it("bad input: ts, y0 and params", () => {
    expect(() => odeint(affine, X.tensor([1]), [0], [X.tensor(1), X.tensor(0)])).toThrow(ValueError);
    expect(() => odeint(affine, X.tensor([1]), [0, 1, 0.5], [X.tensor(1), X.tensor(0)])).toThrow(/monotone/);
    expect(() => odeint(affine, X.tensor([Number.NaN]), [0, 1], [X.tensor(1), X.tensor(0)])).toThrow(/y0/);
    expect(() => odeint(affine, X.tensor([1]), [0, 1], [X.tensor(Number.NaN), X.tensor(0)])).toThrow(/params/);
    expect(() => odeint(affine, X.tensor([1]), [0, 1], [X.tensor(1), X.tensor(0)], { checkpoint: 0.5 })).toThrow(
      /checkpoint/,
    );
  });
});
