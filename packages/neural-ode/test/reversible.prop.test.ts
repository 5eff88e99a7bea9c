// Reversible Heun and EDICT coupled steps invert to machine precision; reversible Heun's O(1)-memory gradient equals
// backprop through the same discrete steps.
import * as X from "@x/tensor";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  edictInverse,
  edictStep,
  type ReversibleHeunState,
  reversibleHeun,
  reversibleHeunInverse,
  reversibleHeunStep,
} from "../src/index.js";

const field = (t: number, y: X.Tensor, W: X.Tensor) =>
  X.add(X.tanh(X.reshape(X.matmul(W, X.reshape(y, [3, 1])), [3])), X.mul(0.1 * Math.cos(t), y));
const arbW = fc.array(fc.double({ min: -1.5, max: 1.5, noNaN: true }), { minLength: 9, maxLength: 9 });
const arbY = fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 3, maxLength: 3 });
const maxRel = (a: X.Tensor, b: X.Tensor) => {
  let m = 0;
  for (let i = 0; i < a.size; i++) m = Math.max(m, Math.abs(a.data[i]! - b.data[i]!) / (1 + Math.abs(b.data[i]!)));
  return m;
};

describe("reversible solvers", () => {
  it("property: 50 reversible Heun steps then 50 inverse steps recover y0 to ~1e-12", () => {
    fc.assert(
      fc.property(arbW, arbY, (w, yv) => {
        const W = X.tensor(w, [3, 3]);
        const y0 = X.tensor(yv);
        const h = 0.02;
        let s: ReversibleHeunState = { y: y0, yHat: y0, fHat: field(0, y0, W) };
        for (let i = 0; i < 50; i++) s = reversibleHeunStep(field, i * h, h, s, W);
        for (let i = 50; i > 0; i--) s = reversibleHeunInverse(field, i * h, h, s, W);
        expect(maxRel(s.y, y0)).toBeLessThan(1e-12);
        expect(maxRel(s.yHat, y0)).toBeLessThan(1e-12);
      }),
      { numRuns: 20 },
    );
  });

  it("property: EDICT coupled steps invert to ~1e-12 for any mixing weight p", () => {
    fc.assert(
      fc.property(arbW, arbY, fc.double({ min: 0.5, max: 0.99, noNaN: true }), (w, yv, p) => {
        const W = X.tensor(w, [3, 3]);
        const y0 = X.tensor(yv);
        const h = 0.05;
        let s = { x: y0, y: y0 };
        for (let i = 0; i < 20; i++) s = edictStep(field, i * h, h, s, W, p);
        for (let i = 19; i >= 0; i--) s = edictInverse(field, i * h, h, s, W, p);
        // the inverse divides by p twice per step: round-off grows like p^(−2·steps)
        const tol = 1e-13 * p ** -40;
        expect(maxRel(s.x, y0)).toBeLessThan(tol);
        expect(maxRel(s.y, y0)).toBeLessThan(tol);
      }),
      { numRuns: 20 },
    );
  });

  it("property: reversible Heun's O(1)-memory gradient = backprop through the same steps", () => {
    fc.assert(
      fc.property(arbW, arbY, (w, yv) => {
        const W = X.tensor(w, [3, 3]);
        const y0 = X.tensor(yv);
        const steps = 20;
        const loss = (yEnd: X.Tensor) => X.sum(X.mul(X.tensor([1, -2, 0.5]), yEnd));
        const viaInverse = (y: X.Tensor, Wm: X.Tensor) => loss(reversibleHeun(field, y, [0, 1], Wm, { steps }));
        const viaTape = (y: X.Tensor, Wm: X.Tensor) => {
          let s: ReversibleHeunState = { y, yHat: y, fHat: field(0, y, Wm) };
          for (let i = 0; i < steps; i++) s = reversibleHeunStep(field, i / steps, 1 / steps, s, Wm);
          return loss(s.y);
        };
        const [a0, a1] = X.grad(viaInverse, [0, 1])(y0, W) as X.Tensor[];
        const [b0, b1] = X.grad(viaTape, [0, 1])(y0, W) as X.Tensor[];
        expect(maxRel(a0!, b0!)).toBeLessThan(1e-10);
        expect(maxRel(a1!, b1!)).toBeLessThan(1e-10);
      }),
      { numRuns: 10 },
    );
  });

  it("reversible Heun converges with order 2 on y' = −y", () => {
    const f = (_t: number, y: X.Tensor) => X.neg(y);
    const err = [20, 40].map((n) =>
      Math.abs(reversibleHeun(f, X.tensor([1]), [0, 1], [], { steps: n }).item() - Math.exp(-1)),
    );
    expect(Math.log2(err[0]! / err[1]!)).toBeGreaterThan(1.7);
  });
});
