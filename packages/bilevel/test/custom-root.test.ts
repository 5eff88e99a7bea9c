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
});

// Second-order closed form for ridge with scalar λ (α = e^λ, H = XᵀX + αI, w = H⁻¹Xᵀy):
// w' = −αH⁻¹w, w'' = w' − 2αH⁻¹w', h'' = ‖X_v w'‖² + rᵀX_v w'' with r = X_v w − y_v.
function ridgeSecond(Xt: X.Tensor, yt: X.Tensor, Xv: X.Tensor, yv: X.Tensor, lam: number): number {
  const d = Xt.shape[1]!;
  const a = Math.exp(lam);
  const H = X.add(X.matmul(X.transpose(Xt), Xt), X.mul(a, X.eye(d)));
  const w = solveDense(H, X.matmul(yt, Xt));
  const w1 = X.mul(-a, solveDense(H, w));
  const w2 = X.sub(w1, X.mul(2 * a, solveDense(H, w1)));
  const r = X.sub(X.matmul(Xv, w), yv);
  return X.sum(X.square(X.matmul(Xv, w1))).item() + X.dot(r, X.matmul(Xv, w2)).item();
}

describe("customRoot higher-order derivatives", () => {
  it("all four second-order compositions (rev/fwd over rev/fwd) = closed-form ridge second derivative", () => {
    fc.assert(
      fc.property(arbRidge, ({ X: Xt, y, Xv, yv, lam }) => {
        const yt = X.reshape(y, [-1]);
        const yvv = X.reshape(yv, [-1]);
        const p = ridgeProblem(Xt, yt, Xv, yvv);
        const root = customRoot(X.grad(p.inner), ridgeSolver(p, Xt, yt), { tol: 1e-13 });
        const h = (l: X.Tensor) => p.outer(root(p.x0, l), l);
        const exact = ridgeSecond(Xt, yt, Xv, yvv, lam);
        const rr = (X.grad(X.grad(h)) as (l: X.Tensor) => X.Tensor)(X.tensor(lam)).item(); // reverse-over-reverse
        const fr = (X.hvp(h, X.tensor(lam), X.tensor(1)) as X.Tensor).item(); // forward-over-reverse
        // Forward-over-forward and reverse-over-forward (the traced tangent solve).
        const dir = (l: X.Tensor) => X.jvp(h, [l], [X.tensor(1)])[1] as X.Tensor;
        const ff = (X.jvp(dir, [X.tensor(lam)], [X.tensor(1)])[1] as X.Tensor).item();
        const rf = (X.grad(dir) as (l: X.Tensor) => X.Tensor)(X.tensor(lam)).item();
        const tol = 1e-6 * (1 + Math.abs(exact));
        for (const [name, v] of [
          ["rev∘rev", rr],
          ["fwd∘rev", fr],
          ["fwd∘fwd", ff],
          ["rev∘fwd", rf],
        ] as const) {
          expect(Math.abs(v - exact), name).toBeLessThanOrEqual(tol);
        }
      }),
      { numRuns: 8 },
    );
  });

  it("per-feature λ: Hessian of the validation loss = central differences of the closed-form gradient", () => {
    const [k1, k2, k3, k4] = X.split(X.rng(11), 4) as [X.Key, X.Key, X.Key, X.Key];
    const Xt = X.normal(k1, [20, 4]);
    const yt = X.normal(k2, [20]);
    const p = ridgeProblem(Xt, yt, X.normal(k3, [10, 4]), X.normal(k4, [10]));
    const root = customRoot(X.grad(p.inner), ridgeSolver(p, Xt, yt), { tol: 1e-13 });
    const h = (l: X.Tensor) => p.outer(root(p.x0, l), l);
    const lam = [0.2, -0.4, 0.7, 0];
    const Hs = X.hessian(h)(X.tensor(lam));
    const e = 1e-5;
    for (let j = 0; j < 4; j++) {
      const up = lam.slice();
      const dn = lam.slice();
      up[j]! += e;
      dn[j]! -= e;
      const col = X.div(X.sub(p.closedForm(up).grad, p.closedForm(dn).grad), 2 * e);
      expectClose(
        X.reshape(
          X.slice(Hs, [
            [0, 4],
            [j, j + 1],
          ]),
          [4],
        ),
        col,
        { rtol: 1e-5, atol: 1e-7 },
        `column ${j}`,
      );
    }
    // Symmetric, as a Hessian must be.
    expectClose(Hs, X.transpose(Hs), { rtol: 1e-8, atol: 1e-10 }, "symmetry");
  });

  it("third derivative (grad∘grad∘grad) = central differences of the second; fixed points too", () => {
    const [k1, k2, k3, k4] = X.split(X.rng(4), 4) as [X.Key, X.Key, X.Key, X.Key];
    const Xt = X.normal(k1, [15, 3]);
    const yt = X.normal(k2, [15]);
    const Xv = X.normal(k3, [8, 3]);
    const yv = X.normal(k4, [8]);
    const p = ridgeProblem(Xt, yt, Xv, yv);
    const root = customRoot(X.grad(p.inner), ridgeSolver(p, Xt, yt), { tol: 1e-13 });
    const h = (l: X.Tensor) => p.outer(root(p.x0, l), l);
    const g3 = (X.grad(X.grad(X.grad(h))) as (l: X.Tensor) => X.Tensor)(X.tensor(0.1)).item();
    const e = 1e-4;
    const fd3 = (ridgeSecond(Xt, yt, Xv, yv, 0.1 + e) - ridgeSecond(Xt, yt, Xv, yv, 0.1 - e)) / (2 * e);
    expect(Math.abs(g3 - fd3)).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(fd3)));
    // A contraction x = tanh(Wx + θ) through customFixedPoint (GMRES): HVP = differences of the gradient.
    const W = X.mul(0.3, X.normal(X.rng(5), [4, 4]));
    const T = (x: X.Tensor, th: X.Tensor) => X.tanh(X.add(X.matmul(W, x), th));
    const iterate = (init: X.Tensor, th: X.Tensor) => {
      let x = init;
      for (let k = 0; k < 200; k++) x = T(x, th);
      return x;
    };
    const fp = customFixedPoint(T, iterate, { tol: 1e-13 });
    const loss = (t: X.Tensor) => X.sum(X.square(X.sub(fp(X.zeros([4]), t), 0.1)));
    const th = X.tensor([0.3, -0.2, 0.5, 0.1]);
    const v = X.tensor([1, -0.5, 0.25, 2]);
    const hv = X.hvp(loss, th, v) as X.Tensor;
    const gradAt = (t: X.Tensor) => X.grad(loss)(t) as X.Tensor;
    const fdv = X.div(X.sub(gradAt(X.add(th, X.mul(1e-5, v))), gradAt(X.sub(th, X.mul(1e-5, v)))), 2e-5);
    expectClose(hv, fdv, { rtol: 1e-6, atol: 1e-8 }, "fixed-point HVP");
    // Reverse-over-reverse agrees with forward-over-reverse.
    const rr = X.grad((t: X.Tensor) => X.sum(X.mul(gradAt(t), v)))(th) as X.Tensor;
    expectClose(rr, hv, { rtol: 1e-8, atol: 1e-10 }, "rev-over-rev");
    expect(fp.lastLinearSolve?.converged).toBe(true);
  });
});
