import { readFileSync } from "node:fs";
import { sinkhorn2 } from "@x/ot";
import * as X from "@x/tensor";
import { arbCostMatrix, arbValues, expectClose, gradCheck } from "@x/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sinkhornLayer } from "../src/index.js";

// Weights as softmax of free parameters keep Σa = Σb = 1 under any perturbation, so finite differences and
// gradients compare the same (gauge-free) quantity.
const arbCase = fc.record({
  M: arbCostMatrix(4, 5),
  alpha: arbValues(4, { min: -1.5, max: 1.5 }),
  beta: arbValues(5, { min: -1.5, max: 1.5 }),
  W: arbValues(20, { min: -1, max: 1 }),
  reg: fc.double({ min: 0.2, max: 1.5, noNaN: true }),
});

type Diff = "implicit" | "unrolled";
const loss =
  (W: X.Tensor, reg: number, diff: Diff = "implicit", unrollSteps?: number) =>
  (M: X.Tensor, al: X.Tensor, be: X.Tensor) =>
    X.sum(X.mul(W, sinkhornLayer(M, X.softmax(al), X.softmax(be), { reg, diff, tol: 1e-12, unrollSteps }).plan));

describe("sinkhornLayer", () => {
  it("plan marginals hold and gradients w.r.t. M, a, b match central differences (random costs)", () => {
    fc.assert(
      fc.property(arbCase, ({ M, alpha, beta, W: w, reg }) => {
        const al = X.tensor(alpha);
        const be = X.tensor(beta);
        const W = X.tensor(w, [4, 5]);
        const r = sinkhornLayer(M, X.softmax(al), X.softmax(be), { reg, tol: 1e-12 });
        expect(r.converged).toBe(true);
        expectClose(X.sum(r.plan, { axis: 1 }), X.softmax(al), { rtol: 1e-9, atol: 1e-11 }, "row marginals");
        expectClose(X.sum(r.plan, { axis: 0 }), X.softmax(be), { rtol: 1e-9, atol: 1e-11 }, "column marginals");
        const L = loss(W, reg);
        // The forward solve is exact to ~1e-12 (tol), so differences with step h carry ~1e-12/h of noise: h = 1e-5
        // keeps that near 1e-7 while the O(h²) truncation stays far below it.
        const opts = { eps: 1e-5, rtol: 1e-5, atol: 3e-7 };
        for (const [name, gc] of [
          ["M", gradCheck((m) => L(m, al, be), M, opts)],
          ["alpha", gradCheck((x) => L(M, x, be), al, opts)],
          ["beta", gradCheck((x) => L(M, al, x), be, opts)],
        ] as const) {
          expect(gc.ok, `${name}: ${gc.details}`).toBe(true);
        }
      }),
      { numRuns: 4 },
    );
  });

  it("implicit gradients = unrolled gradients once enough sweeps are unrolled; few sweeps differ", () => {
    fc.assert(
      fc.property(arbCase, ({ M, alpha, beta, W: w, reg }) => {
        const al = X.tensor(alpha);
        const be = X.tensor(beta);
        const W = X.tensor(w, [4, 5]);
        const gi = X.grad(loss(W, reg), [0, 1, 2])(M, al, be) as X.Tensor[];
        // Unrolled derivatives converge at the iterates' own linear rate, so unroll half as many sweeps again as the
        // forward solve needed (a fixed 300 fell 1.3e-9 short on a cost/reg ≈ 80 draw, FC_SEED=31337).
        const { iterations } = sinkhornLayer(M, X.softmax(al), X.softmax(be), { reg, tol: 1e-12 });
        const sweeps = Math.ceil(1.5 * iterations) + 20;
        const gu = X.grad(loss(W, reg, "unrolled", sweeps), [0, 1, 2])(M, al, be) as X.Tensor[];
        gi.forEach((g, i) => {
          expectClose(gu[i]!, g, { rtol: 1e-7, atol: 1e-9 }, `argument ${i}`);
        });
      }),
      { numRuns: 3 },
    );
    // Control: two sweeps are not the fixed point, so that unrolled gradient is visibly different.
    const M = X.uniform(X.rng(2), [4, 5], 0, 2);
    const W = X.normal(X.rng(3), [4, 5]);
    const al = X.tensor([0.3, -0.5, 0.8, 0]);
    const be = X.tensor([0.1, 0.4, -0.7, 0.2, 0]);
    const gi = X.grad(loss(W, 0.3), 0)(M, al, be) as X.Tensor;
    const g2 = X.grad(loss(W, 0.3, "unrolled", 2), 0)(M, al, be) as X.Tensor;
    expect(X.norm(X.sub(g2, gi)).item() / X.norm(gi).item()).toBeGreaterThan(1e-3);
  });

  it("entropic cost: gradient w.r.t. M is the plan and equals @x/ot's sinkhorn2 envelope gradient (M, a, b)", () => {
    fc.assert(
      fc.property(arbCase, ({ M, alpha, beta, reg }) => {
        const al = X.tensor(alpha);
        const be = X.tensor(beta);
        const ours = (m: X.Tensor, x: X.Tensor, y: X.Tensor) =>
          sinkhornLayer(m, X.softmax(x), X.softmax(y), { reg, tol: 1e-12 }).entropicCost;
        const theirs = (m: X.Tensor, x: X.Tensor, y: X.Tensor) =>
          sinkhorn2(X.softmax(x), X.softmax(y), m, reg, { objective: "entropic", tol: 1e-12, maxIter: 100000 });
        const go = X.grad(ours, [0, 1, 2])(M, al, be) as X.Tensor[];
        const gt = X.grad(theirs, [0, 1, 2])(M, al, be) as X.Tensor[];
        expectClose(ours(M, al, be), theirs(M, al, be), { rtol: 1e-9, atol: 1e-11 }, "value");
        expectClose(go[0]!, sinkhornLayer(M, X.softmax(al), X.softmax(be), { reg }).plan, { atol: 1e-9 }, "∇M = P");
        go.forEach((g, i) => {
          expectClose(g, gt[i]!, { rtol: 1e-7, atol: 1e-9 }, `argument ${i}`);
        });
      }),
      { numRuns: 6 },
    );
  });

  it("HVP through the layer (second order) = central differences of its gradient", () => {
    const M = X.uniform(X.rng(7), [3, 4]);
    const W = X.normal(X.rng(8), [3, 4]);
    const al = X.tensor([0.2, -0.3, 0.1]);
    const be = X.tensor([0, 0.5, -0.5, 0.2]);
    const f = (m: X.Tensor) => loss(W, 0.3)(m, al, be);
    const v = X.normal(X.rng(9), [3, 4]);
    const hv = X.hvp(f, M, v) as X.Tensor;
    const g = (m: X.Tensor) => X.grad(f)(m) as X.Tensor;
    const e = 1e-5;
    const fd = X.div(X.sub(g(X.add(M, X.mul(e, v))), g(X.sub(M, X.mul(e, v)))), 2 * e);
    expectClose(hv, fd, { rtol: 1e-5, atol: 1e-7 }, "HVP");
  });

  it("bad input: typed errors naming the argument", () => {
    const M = X.uniform(X.rng(1), [2, 3]);
    const a = X.tensor([0.5, 0.5]);
    const b = X.tensor([0.2, 0.3, 0.5]);
    expect(() => sinkhornLayer(M, a, b, { reg: 0 })).toThrow(/options\.reg/);
    expect(() => sinkhornLayer(M, X.tensor([0.5, 0.2, 0.3]), b, { reg: 1 })).toThrow(X.ShapeError);
    expect(() => sinkhornLayer(M, X.tensor([1, 0]), b, { reg: 1 })).toThrow(/a must be finite and strictly positive/);
    expect(() => sinkhornLayer(M, a, X.tensor([0.2, 0.3, 0.6]), { reg: 1 })).toThrow(/same total mass/);
    expect(() => sinkhornLayer(M, a, b, { reg: 1, diff: "auto" as never })).toThrow(/options\.diff/);
    expect(() => sinkhornLayer(M, a, b, { reg: 1, diff: "unrolled", unrollSteps: 0 })).toThrow(/unrollSteps/);
    expect(() => sinkhornLayer(X.ones([6]), a, b, { reg: 1 })).toThrow(/cost matrix/);
    // A forward solve cut short is reported, not hidden.
    const r = sinkhornLayer(X.mul(20, M), a, b, { reg: 0.05, maxIter: 2 });
    expect(r.converged).toBe(false);
    expect(r.residual).toBeGreaterThan(1e-6);
  });
});

interface LayerFixture {
  cases: {
    reg: number;
    alpha: number[];
    beta: number[];
    M: number[][];
    W: number[][];
    plan: number[][];
    cost: number;
    entropicCost: number;
    gradM: number[][];
    gradAlpha: number[];
    gradBeta: number[];
  }[];
}

describe("sinkhornLayer vs POT plans and NumPy implicit derivatives (tooling/reference/bilevel-sinkhorn.py)", () => {
  const fx = JSON.parse(
    readFileSync(new URL("./fixtures/sinkhorn-layer.json", import.meta.url), "utf8"),
  ) as LayerFixture;
  it.each(fx.cases.map((c, i) => [i, c] as const))("case %i", (_i, c) => {
    const M = X.tensor(c.M);
    const al = X.tensor(c.alpha);
    const be = X.tensor(c.beta);
    const W = X.tensor(c.W);
    const r = sinkhornLayer(M, X.softmax(al), X.softmax(be), { reg: c.reg, tol: 1e-13, maxIter: 100000 });
    expectClose(r.plan, c.plan, { rtol: 1e-8, atol: 1e-12 }, "plan");
    expectClose(r.cost, c.cost, { rtol: 1e-9 }, "cost");
    expectClose(r.entropicCost, c.entropicCost, { rtol: 1e-9, atol: 1e-12 }, "entropic cost");
    const L = (m: X.Tensor, x: X.Tensor, y: X.Tensor) =>
      X.sum(X.mul(W, sinkhornLayer(m, X.softmax(x), X.softmax(y), { reg: c.reg, tol: 1e-13, maxIter: 100000 }).plan));
    const [gM, gA, gB] = X.grad(L, [0, 1, 2])(M, al, be) as X.Tensor[];
    const scale = Math.max(...c.gradM.flat().map(Math.abs));
    expectClose(gM!, c.gradM, { rtol: 1e-6, atol: 1e-8 * scale }, "dL/dM");
    expectClose(gA!, c.gradAlpha, { rtol: 1e-6, atol: 1e-8 * scale }, "dL/dα");
    expectClose(gB!, c.gradBeta, { rtol: 1e-6, atol: 1e-8 * scale }, "dL/dβ");
  });
});
