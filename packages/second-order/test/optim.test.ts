import { solve } from "@x/linalg";
import * as X from "@x/tensor";
import { arbSPD, arbValues } from "@x/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { adahessian, adahessianStep } from "../src/optim/adahessian.js";
import { adam } from "../src/optim/adam.js";
import { samGradient } from "../src/optim/sam.js";
import { sgd } from "../src/optim/sgd.js";
import { applyUpdates } from "../src/optim/tree.js";
import { maxAbsDiff, quadratic } from "./problems.js";

const quadCase = (maxN: number) =>
  fc.integer({ min: 1, max: maxN }).chain((n) => fc.tuple(arbSPD(n, 0.5), arbValues(n, { min: -2, max: 2 })));

function matvec(A: X.Tensor, x: Float64Array): Float64Array {
  const n = x.length;
  const o = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) o[i]! += A.data[i * n + j]! * x[j]!;
  return o;
}
const gradQ = (A: X.Tensor, b: Float64Array, x: Float64Array) => matvec(A, x).map((v, i) => v - b[i]!);
const fQ = (A: X.Tensor, b: Float64Array, x: Float64Array) => {
  const ax = matvec(A, x);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += 0.5 * x[i]! * ax[i]! - b[i]! * x[i]!;
  return s;
};
const frob = (A: X.Tensor) => Math.sqrt(A.data.reduce((s, v) => s + v * v, 0));
const data = (t: unknown) => (t as X.Tensor).data;

describe("sgd", () => {
  it("with momentum 0 equals plain gradient-descent steps", () => {
    fc.assert(
      fc.property(quadCase(5), fc.double({ min: 0.01, max: 0.5, noNaN: true }), ([A, bv], lr0) => {
        const b = Float64Array.from(bv);
        const lr = lr0 / frob(A);
        const opt = sgd({ learningRate: lr, momentum: 0 });
        let p: X.PyTree = X.zeros([b.length]);
        let s = opt.init(p);
        let x = new Float64Array(b.length);
        for (let k = 0; k < 20; k++) {
          const r = opt.update(X.tensor(gradQ(A, b, data(p))), s, p);
          p = applyUpdates(p, r.updates);
          s = r.state;
          const g = gradQ(A, b, x);
          x = x.map((xi, i) => xi - lr * g[i]!);
        }
        expect(maxAbsDiff(data(p), x)).toBeLessThan(1e-12);
      }),
    );
  });

  for (const [momentum, nesterov] of [
    [0, false],
    [0.5, false],
    [0.5, true],
  ] as const) {
    it(`reduces a random convex quadratic (momentum ${momentum}, nesterov ${nesterov})`, () => {
      fc.assert(
        fc.property(quadCase(5), ([A, bv]) => {
          const b = Float64Array.from(bv);
          const opt = sgd({ learningRate: 0.5 / frob(A), momentum, nesterov });
          let p: X.PyTree = X.zeros([b.length]);
          let s = opt.init(p);
          for (let k = 0; k < 300; k++) {
            const r = opt.update(X.tensor(gradQ(A, b, data(p))), s);
            p = applyUpdates(p, r.updates);
            s = r.state;
          }
          const xs = solve(A, X.tensor(b)).data;
          const f0 = fQ(A, b, new Float64Array(b.length));
          const fs = fQ(A, b, xs);
          // Linear convergence at rate ≤ 1 − λ_min·lr per step (κ ≤ 11 here).
          expect(fQ(A, b, data(p)) - fs).toBeLessThanOrEqual(1e-3 * (f0 - fs) + 1e-12);
        }),
        { numRuns: 30 },
      );
    });
  }

  it("rejects bad options", () => {
    expect(() => sgd({ learningRate: -1 })).toThrow(/learningRate/);
    expect(() => sgd({ learningRate: 0.1, momentum: 1 })).toThrow(/momentum/);
  });
});

describe("adam", () => {
  it("first step has magnitude learningRate per coordinate (m̂ = g, v̂ = g²)", () => {
    fc.assert(
      fc.property(
        fc
          .array(fc.tuple(fc.double({ min: 1e-3, max: 5, noNaN: true }), fc.boolean()), { minLength: 6, maxLength: 6 })
          .map((v) => v.map(([m, neg]) => (neg ? -m : m))),
        fc.double({ min: 1e-4, max: 1, noNaN: true }),
        (g, lr) => {
          const opt = adam({ learningRate: lr });
          const p = { w: X.zeros([2, 2]), b: X.zeros([2]) };
          const grads = { w: X.tensor(g.slice(0, 4), [2, 2]), b: X.tensor(g.slice(4)) };
          const r = opt.update(grads, opt.init(p), p);
          const u = r.updates as { w: X.Tensor; b: X.Tensor };
          for (const [i, v] of [...u.w.data, ...u.b.data].entries()) {
            expect(Math.abs(v)).toBeCloseTo(lr, 4);
            expect(Math.sign(v)).toBe(-Math.sign(g[i]!));
          }
        },
      ),
    );
  });

  it("reduces a random convex quadratic", () => {
    fc.assert(
      fc.property(
        quadCase(4),
        arbValues(4, { min: 1, max: 3 }),
        fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
        ([A, bv], d, sg) => {
          const b = Float64Array.from(bv);
          const xs = solve(A, X.tensor(b)).data;
          const x0 = xs.map((v, i) => v + (sg[i] ? d[i]! : -d[i]!));
          const opt = adam({ learningRate: 0.02 });
          let p: X.PyTree = X.tensor(x0);
          let s = opt.init(p);
          for (let k = 0; k < 1500; k++) {
            const r = opt.update(X.tensor(gradQ(A, b, data(p))), s);
            p = applyUpdates(p, r.updates);
            s = r.state;
          }
          const fs = fQ(A, b, xs);
          expect(fQ(A, b, data(p)) - fs).toBeLessThanOrEqual(0.05 * (fQ(A, b, x0) - fs));
        },
      ),
      { numRuns: 20 },
    );
  });

  it("weight decay is decoupled: zero gradient shrinks params by lr·λ", () => {
    const opt = adam({ learningRate: 0.1, weightDecay: 0.5 });
    const p = X.tensor([2, -4]);
    const r = opt.update(X.zeros([2]), opt.init(p), p);
    expect(maxAbsDiff(data(r.updates), [-0.1, 0.2])).toBeLessThan(1e-12);
    expect(() => opt.update(X.zeros([2]), opt.init(p))).toThrow(/params/);
  });
});

describe("samGradient", () => {
  it("on a quadratic equals ∇f(w + ε) with ε = ρ g/‖g‖ (SAM) or ρ T²g/‖Tg‖ (ASAM)", () => {
    fc.assert(
      fc.property(
        quadCase(4),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        fc.boolean(),
        ([A, bv], rho, adaptive) => {
          const b = Float64Array.from(bv);
          const w = Float64Array.from(bv, (v, i) => 0.3 * v + (i % 2) - 0.5);
          const g = gradQ(A, b, w);
          const t = w.map((wi) => (adaptive ? Math.abs(wi) + 0.01 : 1));
          const nrm = Math.hypot(...g.map((gi, i) => t[i]! * gi));
          fc.pre(nrm > 1e-6);
          const wp = w.map((wi, i) => wi + (rho * t[i]! * t[i]! * g[i]!) / nrm);
          const r = samGradient(quadratic(A, X.tensor(b)), X.tensor(w), rho, adaptive);
          expect(maxAbsDiff(data(r.grad), gradQ(A, b, wp))).toBeLessThan(1e-10);
          expect(maxAbsDiff(data(r.plainGrad), g)).toBeLessThan(1e-10);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("at the minimiser of a quadratic the perturbation vanishes and the gradient is ≈ 0", () => {
    fc.assert(
      fc.property(quadCase(4), ([A, bv]) => {
        const b = X.tensor(bv);
        const xs = solve(A, b);
        const r = samGradient(quadratic(A, b), xs, 0.1);
        // g(x*) is O(1e-15), so ε = ρ g/‖g‖ may be any unit direction only if g ≠ 0 exactly; either way ‖∇f(x*+ε)‖ ≤ ρ‖A‖.
        expect(maxAbsDiff(data(r.plainGrad), new Float64Array(bv.length))).toBeLessThan(1e-9);
        const e = data(r.perturbation);
        expect(Math.hypot(...e)).toBeLessThanOrEqual(0.1 + 1e-12);
      }),
      { numRuns: 30 },
    );
    const r = samGradient((x: X.Tensor) => X.sum(X.square(x)), X.zeros([3]), 0.1);
    expect(maxAbsDiff(data(r.grad), [0, 0, 0])).toBe(0);
  });
});

describe("adahessian", () => {
  it("first step on a diagonal quadratic is learningRate × the Newton step (z⊙Hz = diag H exactly)", () => {
    fc.assert(
      fc.property(
        arbValues(5, { min: 0.5, max: 5 }),
        arbValues(5, { min: -2, max: 2 }),
        fc.integer({ min: 0, max: 1000 }),
        (h, x0, seed) => {
          const hT = X.tensor(h);
          const loss = (p: { a: X.Tensor; b: X.Tensor }) =>
            X.add(
              X.mul(0.5, X.sum(X.mul(X.slice(hT, [[0, 3]]), X.square(p.a)))),
              X.mul(0.5, X.sum(X.mul(X.slice(hT, [[3, 5]]), X.square(p.b)))),
            );
          const opt = adahessian({ learningRate: 0.5, eps: 0, seed });
          const params = { a: X.tensor(x0.slice(0, 3)), b: X.tensor(x0.slice(3)) };
          const r = adahessianStep(opt, loss, params, opt.init(params));
          const q = r.params as { a: X.Tensor; b: X.Tensor };
          // x − 0.5·(h x)/h = 0.5·x
          expect(
            maxAbsDiff(
              [...q.a.data, ...q.b.data],
              x0.map((v) => 0.5 * v),
            ),
          ).toBeLessThan(1e-12);
        },
      ),
      { numRuns: 30 },
    );
  });

  it("reduces a random convex quadratic", () => {
    fc.assert(
      fc.property(quadCase(4), fc.integer({ min: 0, max: 1000 }), ([A, bv], seed) => {
        const b = X.tensor(bv);
        const f = quadratic(A, b);
        const opt = adahessian({ learningRate: 0.05, seed });
        let p: X.PyTree = X.zeros([bv.length]);
        let s = opt.init(p);
        const xs = solve(A, b);
        const fs = f(xs).data[0]!;
        const f0 = f(p as X.Tensor).data[0]!;
        fc.pre(f0 - fs > 1e-3);
        for (let k = 0; k < 300; k++) ({ params: p, state: s } = adahessianStep(opt, f, p, s));
        expect(f(p as X.Tensor).data[0]! - fs).toBeLessThan(0.1 * (f0 - fs));
      }),
      { numRuns: 10 },
    );
  });

  it("update without { hvp } is a typed error", () => {
    const opt = adahessian({ learningRate: 0.1 });
    const p = X.zeros([2]);
    expect(() => opt.update(p, opt.init(p), p)).toThrow(/hvp/);
  });
});
