import * as X from "@x/tensor";
import { tensor, ValueError } from "@x/tensor";
import { expectClose, gradCheck } from "@x/test-utils";
import { describe, expect, it } from "vitest";
import { dist, sinkhorn, sinkhorn2, sinkhornDivergence } from "../src/index.js";
import { ref } from "./fixtures.js";

describe("sinkhorn vs POT", () => {
  ref.sinkhorn.forEach((c: any, k: number) => {
    it(`case ${k} reg ${c.reg}`, () => {
      for (const method of ["sinkhorn", "log", "stabilized", "epsScaling"] as const) {
        const r = sinkhorn(c.a, c.b, c.M, c.reg, { method, tol: 1e-13, maxIter: 100000 });
        expect(r.converged, method).toBe(true);
        expectClose(r.cost, c.sinkhorn2Log, { rtol: 1e-8, atol: 1e-10 }, method);
        expectClose(r.plan, c.plan, { rtol: 1e-6, atol: 1e-10 }, `${method} plan`);
      }
      expectClose(sinkhorn2(c.a, c.b, c.M, c.reg, { tol: 1e-13, maxIter: 100000 }).item(), c.sinkhorn2, {
        rtol: 1e-8,
      });
    });
  });
});

describe("sinkhorn behaviour", () => {
  const x = X.normal(X.rng(3), [12, 2]);
  const y = X.add(X.normal(X.rng(4), [10, 2]), 0.5);
  const M = X.div(dist(x, y), 4);

  it("batched b gives one value per column, equal to separate solves", () => {
    const b1 = X.softmax(X.normal(X.rng(5), [10]));
    const b2 = X.full([10], 0.1);
    const vals = sinkhorn2([], X.stack([b1, b2], 1), M, 0.1, { tol: 1e-12 });
    expect(vals.shape).toStrictEqual([2]);
    expectClose(vals.data[0]!, sinkhorn2([], b1, M, 0.1, { tol: 1e-12 }).item(), { rtol: 1e-12 });
    expectClose(vals.data[1]!, sinkhorn2([], b2, M, 0.1, { tol: 1e-12 }).item(), { rtol: 1e-12 });
  });

  it("warm start from the solution converges at once", () => {
    const r = sinkhorn([], [], M, 0.05, { method: "log", tol: 1e-10 });
    const w = sinkhorn([], [], M, 0.05, { method: "log", tol: 1e-10, warmStart: { f: r.f, g: r.g } });
    expect(r.iterations).toBeGreaterThan(5);
    expect(w.iterations).toBeLessThanOrEqual(1);
    expect(w.converged).toBe(true);
  });

  it("non-convergence and underflow are reported", () => {
    const r = sinkhorn([], [], M, 0.01, { method: "log", maxIter: 3 });
    expect(r.converged).toBe(false);
    expect(r.status).toBe("maxIterReached");
    expect(r.errors.length).toBe(3);
    const u = sinkhorn([], [], X.mul(M, 1000), 1e-3, { method: "sinkhorn" });
    expect(u.converged).toBe(false);
    expect(u.status).toBe("numericalError");
    for (const method of ["log", "epsScaling"] as const) {
      const s = sinkhorn([], [], X.mul(M, 1000), 1e-3 * 1000, { method, maxIter: 5000 });
      expect(s.plan.data.every(Number.isFinite)).toBe(true);
    }
  });

  it("rejects reg ≤ 0, bad method, unequal masses", () => {
    expect(() => sinkhorn([], [], M, 0)).toThrow(/reg must be a finite number > 0, got 0/);
    expect(() => sinkhorn2([], [], M, -1)).toThrow(ValueError);
    expect(() => sinkhorn([], [], M, 0.1, { method: "foo" as never })).toThrow(/method/);
    expect(() => sinkhorn(X.full([12], 0.1), [], M, 0.1)).toThrow(/sum\(a\) = 1.2\d*, sum\(b\) = (1|0.99)/);
    expect(() => sinkhorn([], [], [[1, Number.NaN]], 0.1)).toThrow(/M must be finite/);
    expect(() => sinkhornDivergence(x, y, Number.NaN)).toThrow(/reg/);
  });
});

describe("gradients", () => {
  const a = tensor([0.2, 0.5, 0.3]);
  const b = tensor([0.4, 0.6]);
  const M0 = tensor([
    [0.1, 0.9],
    [0.7, 0.2],
    [0.4, 0.5],
  ]);
  const tight = { tol: 1e-14, maxIter: 100000, method: "log" as const };

  it("entropic sinkhorn2: envelope gradient w.r.t. M passes gradCheck", () => {
    const r = gradCheck((m) => sinkhorn2(a, b, m, 0.3, { ...tight, objective: "entropic" }), M0, { rtol: 1e-6 });
    expect(r.ok, r.details).toBe(true);
  });

  it("entropic sinkhorn2: envelope gradient w.r.t. a, b on the simplex (softmax parameters)", () => {
    const fa = (t: X.Tensor) => sinkhorn2(X.softmax(t), b, M0, 0.3, { ...tight, objective: "entropic" });
    const ra = gradCheck(fa, [0.1, -0.3, 0.2], { rtol: 1e-6 });
    expect(ra.ok, ra.details).toBe(true);
    const fb = (t: X.Tensor) => sinkhorn2(a, X.softmax(t), M0, 0.3, { ...tight, objective: "entropic" });
    const rb = gradCheck(fb, [0.4, -0.1], { rtol: 1e-6 });
    expect(rb.ok, rb.details).toBe(true);
  });

  it("entropic sinkhorn2: gradient w.r.t. point positions through dist", () => {
    const y = tensor([
      [0, 1],
      [1, 0],
    ]);
    const f = (x: X.Tensor) => sinkhorn2(a, b, dist(x, y), 0.5, { ...tight, objective: "entropic" });
    const r = gradCheck(
      f,
      [
        [0.1, 0.2],
        [0.8, -0.1],
        [0.3, 0.6],
      ],
      { rtol: 1e-6 },
    );
    expect(r.ok, r.details).toBe(true);
  });

  it("linear sinkhorn2 with grad 'unrolled' is the exact derivative", () => {
    const f = (m: X.Tensor) => sinkhorn2(a, b, m, 0.3, { ...tight, tol: 1e-10, grad: "unrolled" });
    const r = gradCheck(f, M0, { rtol: 1e-6 });
    expect(r.ok, r.details).toBe(true);
    // and its value is the linear cost
    expectClose(f(M0).item(), sinkhorn(a, b, M0, 0.3, tight).cost, { rtol: 1e-8 });
  });

  it("sinkhornDivergence gradient w.r.t. x", () => {
    const y = tensor([
      [0, 1],
      [1, 0],
      [0.5, 0.5],
    ]);
    const f = (x: X.Tensor) => sinkhornDivergence(x, y, 0.5, { tol: 1e-14, maxIter: 100000 });
    const r = gradCheck(
      f,
      [
        [0.1, 0.2],
        [0.8, -0.1],
      ],
      { rtol: 1e-6 },
    );
    expect(r.ok, r.details).toBe(true);
  });
});
