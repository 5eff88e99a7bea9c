import * as X from "@x/tensor";
import { adjointCheck, arbMatrix, expectClose, gradCheck } from "@x/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { customFixedPoint, customRoot } from "../src/index.js";
import { ridgeProblem } from "../src/problems/ridge.js";

// Exact inner solver for ridge (so only the implicit derivative is under test).
const ridgeSolver =
  (p: ReturnType<typeof ridgeProblem>, X_: X.Tensor, y: X.Tensor) => (_init: X.Tensor, lam: X.Tensor) => {
    const d = X_.shape[1]!;
    const H = X.add(X.matmul(X.transpose(X_), X_), X.diag(X.mul(X.exp(lam), X.ones([d]))));
    void p;
    return { x: X.tensor(Array.from(solveDense(H, X.matmul(y, X_)).data)), converged: true, iterations: 1 };
  };

import { solve as solveDense } from "@x/linalg";

const arbRidge = fc.record({
  X: arbMatrix(8, 3),
  y: arbMatrix(1, 8),
  Xv: arbMatrix(5, 3),
  yv: arbMatrix(1, 5),
  lam: fc.double({ min: -2, max: 2, noNaN: true }),
});

describe("customRoot", () => {
  it("implicit hypergradient = closed form for ridge(λ) on random data", () => {
    fc.assert(
      fc.property(arbRidge, ({ X: Xt, y, Xv, yv, lam }) => {
        const yt = X.reshape(y, [-1]);
        const p = ridgeProblem(Xt, yt, Xv, X.reshape(yv, [-1]));
        const F = X.grad(p.inner) as (w: X.Tensor, l: X.Tensor) => X.Tensor;
        const root = customRoot(F, ridgeSolver(p, Xt, yt), { tol: 1e-12 });
        const hyper = X.grad((l: X.Tensor) => p.outer(root(p.x0, l), l));
        const g = hyper(X.tensor(lam)) as X.Tensor;
        const cf = p.closedForm(lam);
        expectClose(g, cf.grad, { rtol: 1e-6, atol: 1e-8 }, "hypergradient");
        expect(root.lastLinearSolve?.converged).toBe(true);
      }),
      { numRuns: 12 },
    );
  });

  it.each(["cg", "gmres", "normal-cg", "neumann"] as const)(
    "per-feature λ, solve=%s, matches the closed form",
    (solve) => {
      const key = X.rng(3);
      const [k1, k2, k3, k4] = X.split(key, 4) as [X.Key, X.Key, X.Key, X.Key];
      const Xt = X.normal(k1, [20, 4]);
      const yt = X.normal(k2, [20]);
      const p = ridgeProblem(Xt, yt, X.normal(k3, [10, 4]), X.normal(k4, [10]));
      const root = customRoot(X.grad(p.inner), ridgeSolver(p, Xt, yt), { solve, tol: 1e-12, maxIter: 5000 });
      const lam = X.tensor([0.1, -0.5, 1, 0]);
      const g = X.grad((l: X.Tensor) => p.outer(root(p.x0, l), l))(lam);
      expectClose(g, p.closedForm(lam).grad, { rtol: 1e-6, atol: 1e-9 }, solve);
      expect(root.lastLinearSolve?.method).toBe(solve);
      expect(root.lastLinearSolve?.mode).toBe("vjp");
    },
  );

  it("JVP/VJP adjoint identity and gradCheck vs finite differences (random ridge)", () => {
    fc.assert(
      fc.property(arbRidge, fc.integer({ min: 0, max: 1000 }), ({ X: Xt, y, Xv, yv, lam }, seed) => {
        const yt = X.reshape(y, [-1]);
        const p = ridgeProblem(Xt, yt, Xv, X.reshape(yv, [-1]));
        const root = customRoot(X.grad(p.inner), ridgeSolver(p, Xt, yt), { tol: 1e-13 });
        const wOf = (l: X.Tensor) => root(p.x0, l);
        const lamV = X.tensor([lam, lam / 2, -lam]);
        const { lhs, rhs } = adjointCheck(wOf, lamV, seed);
        expect(Math.abs(lhs - rhs)).toBeLessThanOrEqual(1e-8 * (1 + Math.abs(lhs)));
        const gc = gradCheck((l) => p.outer(root(p.x0, l), l), lamV, { rtol: 1e-5, atol: 1e-7 });
        expect(gc.ok, gc.details).toBe(true);
      }),
      { numRuns: 10 },
    );
  });

  it("customFixedPoint differentiates a contraction (x = tanh(Wx + θ)) by GMRES and Neumann", () => {
    const W = X.mul(0.3, X.normal(X.rng(5), [4, 4]));
    const T = (x: X.Tensor, th: X.Tensor) => X.tanh(X.add(X.matmul(W, x), th));
    const iterate = (init: X.Tensor, th: X.Tensor) => {
      let x = init;
      for (let k = 0; k < 200; k++) x = T(x, th);
      return x;
    };
    const th = X.tensor([0.3, -0.2, 0.5, 0.1]);
    const loss = (fp: ReturnType<typeof customFixedPoint<X.Tensor>>) => (t: X.Tensor) =>
      X.sum(X.square(fp(X.zeros([4]), t)));
    for (const solve of ["gmres", "neumann", "normal-cg"] as const) {
      const fp = customFixedPoint(T, iterate, { solve, tol: 1e-12, maxIter: 500 });
      const gc = gradCheck(loss(fp), th, { rtol: 1e-6, atol: 1e-8 });
      expect(gc.ok, `${solve}: ${gc.details}`).toBe(true);
      // Forward mode agrees with reverse mode.
      const v = X.tensor([1, 0.5, -1, 2]);
      const [, jv] = X.jvp((t: X.Tensor) => fp(X.zeros([4]), t), [th], [v]);
      const jac = X.jacobian((t: X.Tensor) => fp(X.zeros([4]), t), { mode: "rev" })(th);
      expectClose(jv as X.Tensor, X.matmul(jac, v), { rtol: 1e-8, atol: 1e-10 }, `${solve} jvp`);
      expect(fp.lastLinearSolve?.converged).toBe(true);
    }
  });

  it("pytree θ: gradients w.r.t. every leaf", () => {
    // x* = argmin ½‖x − a‖² + b·‖x‖²/2 → x* = a/(1+b); F = x − a + b x.
    const F = (x: X.Tensor, th: { a: X.Tensor; b: X.Tensor }) => X.sub(X.add(x, X.mul(th.b, x)), th.a);
    const solver = (_: X.Tensor, th: { a: X.Tensor; b: X.Tensor }) => X.div(th.a, X.add(1, th.b));
    const root = customRoot(F, solver);
    const a = X.tensor([1, 2]);
    const b = X.tensor(0.5);
    const [ga, gb] = X.grad((aa: X.Tensor, bb: X.Tensor) => X.sum(root(X.zeros([2]), { a: aa, b: bb })), [0, 1])(a, b);
    expectClose(ga, [1 / 1.5, 1 / 1.5], { rtol: 1e-9 });
    expectClose(gb, -3 / 1.5 ** 2, { rtol: 1e-9 });
  });
});

describe("customRoot bad input", () => {
  const F = (x: X.Tensor, th: X.Tensor) => X.sub(x, th);
  it("rejects bad options and bad solver outputs with named errors", () => {
    expect(() => customRoot(F, (_i, th) => th, { solve: "lu" as never })).toThrow(/options\.solve/);
    expect(() => customRoot(F, (_i, th) => th, { tol: -1 })).toThrow(/options\.tol/);
    const bad = customRoot(F, () => X.zeros([3]));
    expect(() => bad(X.zeros([2]), X.ones([2]))).toThrow(X.ShapeError);
    const wrongF = customRoot(
      (x: X.Tensor) => X.sum(x),
      (_i, th: X.Tensor) => th,
    );
    expect(() => X.grad((t: X.Tensor) => X.sum(wrongF(X.zeros([2]), t)))(X.ones([2]))).toThrow(/F\(x, θ\)/);
  });

  it("surfaces a non-converged inner solver", () => {
    const root = customRoot(F, (_i, th: X.Tensor) => ({ x: th, converged: false, iterations: 7, residual: 0.3 }));
    root(X.zeros([2]), X.ones([2]));
    expect(root.lastSolve).toEqual({ converged: false, iterations: 7, residual: 0.3 });
  });

  it("singular inner Hessian: reported with a damping suggestion; damping fixes the solve", () => {
    // g(x, θ) = ½ (x₀ − θ₀)²: the Hessian diag(1, 0) is singular in x₁.
    const g = (x: X.Tensor, th: X.Tensor) => X.mul(0.5, X.square(X.sub(X.slice(x, [[0, 1]]), X.slice(th, [[0, 1]]))));
    const Fg = X.grad((x: X.Tensor, th: X.Tensor) => X.sum(g(x, th)));
    const solver = (_i: X.Tensor, th: X.Tensor) => X.concat([X.slice(th, [[0, 1]]), X.zeros([1])]);
    const root = customRoot(Fg, solver, { maxIter: 20 });
    const outer = (th: X.Tensor) => X.sum(X.square(X.sub(root(X.zeros([2]), th), X.tensor([0, 1]))));
    X.grad(outer)(X.tensor([1, 2]));
    expect(root.lastLinearSolve?.converged).toBe(false);
    expect(root.lastLinearSolve?.message).toMatch(/damping/);
    const damped = customRoot(Fg, solver, { damping: 1e-3 });
    const gd = X.grad((th: X.Tensor) => X.sum(X.square(X.sub(damped(X.zeros([2]), th), X.tensor([0, 1])))))(
      X.tensor([1, 2]),
    );
    expect(damped.lastLinearSolve?.converged).toBe(true);
    expectClose(gd, [2 / 1.001, 0], { rtol: 1e-9, atol: 1e-12 });
  });

  it("second derivatives through the implicit solution throw UnsupportedError", () => {
    const root = customRoot(F, (_i, th: X.Tensor) => th);
    const f = (t: X.Tensor) => X.sum(X.square(root(X.zeros([2]), t)));
    expect(() => X.hvp(f, X.ones([2]), X.ones([2]))).toThrow(X.UnsupportedError);
  });
});
