import { solve } from "@x/linalg";
import * as X from "@x/tensor";
import { arbSPD, arbValues } from "@x/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { minimize } from "../src/index.js";
import fixtures from "./fixtures/minimize.json";
import big from "./fixtures/rosenbrock-1000.json";
import { maxAbsDiff, problems, quadratic, rosen, rosenHessp, rosenVg } from "./problems.js";

const quadCase = (maxN: number) =>
  fc.integer({ min: 1, max: maxN }).chain((n) => fc.tuple(arbSPD(n, 0.5), arbValues(n, { min: -2, max: 2 })));

describe("minimize on random convex quadratics", () => {
  for (const method of ["gd", "bfgs", "lbfgs", "newton-cg", "trust-ncg", "newton"] as const) {
    it(`${method} converges to A⁻¹b`, () => {
      fc.assert(
        fc.property(quadCase(5), ([A, bv]) => {
          const b = X.tensor(bv);
          // trust-ncg's ratio test cannot resolve decreases of f ~1e-20 once ‖∇f‖ ~ 1e-10; it then judges steps by
          // the gradient norm (FC_SEED=93969071 collapsed its radius before that rule).
          const r = minimize(quadratic(A, b), X.zeros([b.size]), { method, tol: 1e-10, maxIter: 20000 });
          expect(r.converged).toBe(true);
          const xs = solve(A, b).data;
          // ‖x − x*‖ ≤ ‖∇f‖₂/λ_min ≤ √n·tol/0.5
          expect(maxAbsDiff((r.x as X.Tensor).data, xs)).toBeLessThan(1e-7);
        }),
        { numRuns: method === "gd" ? 10 : 25 },
      );
    });
  }

  it("trust-ncg keeps its radius when f no longer resolves the decrease (FC_SEED=1 regression)", () => {
    // x*₂ ≈ −3.6e-9 is coupled to x*₄ by −5.3e-9: the last steps change f by ~1e-17 against |f| ≈ 0.59. The radius
    // used to shrink on those noise ratios until 20000 iterations passed with ‖∇f‖ stuck near 1.1e-8.
    const A = X.tensor([
      [0.5, 0, 0, 0, 0],
      [0, 2.3073400280067835, -0.00015350269902174315, -5.333058104682846e-9, -0.0014586210450792927],
      [0, -0.00015350269902174315, 0.5000000235630786, 8.186388131086017e-13, 0],
      [0, -5.333058104682846e-9, 8.186388131086017e-13, 0.5, 0],
      [0, -0.0014586210450792927, 0, 0, 0.5000026352903105],
    ]);
    const b = X.tensor([0, 0, 0, -0.7685367690396399, 0]);
    const r = minimize(quadratic(A, b), X.zeros([5]), { method: "trust-ncg", tol: 1e-8, maxIter: 20000 });
    expect(r.converged).toBe(true);
    expect(r.iterations).toBeLessThan(50);
    expect(maxAbsDiff((r.x as X.Tensor).data, solve(A, b).data)).toBeLessThan(1e-8);
  });

  it("Newton takes one step on a quadratic; trust-ncg with a huge radius solves it too", () => {
    fc.assert(
      fc.property(quadCase(5), ([A, bv]) => {
        const b = X.tensor(bv);
        const r = minimize(quadratic(A, b), X.zeros([b.size]), { method: "newton", tol: 1e-9 });
        expect(r.iterations).toBeLessThanOrEqual(1);
        // after its one step x is A⁻¹b up to rounding; with ‖∇f(0)‖ = ‖b‖ ≤ tol it rightly takes none, and then only
        // ‖x − x*‖ ≤ ‖b‖₂/λ_min ≤ √n·tol/0.5 holds (b = [5e-10, 0], A = I/2: FC_SEED=1270342178)
        const bound = r.iterations === 0 ? 2 * Math.sqrt(b.size) * 1e-9 : 1e-9;
        expect(maxAbsDiff((r.x as X.Tensor).data, solve(A, b).data)).toBeLessThan(bound);
        const t = minimize(quadratic(A, b), X.zeros([b.size]), {
          method: "trust-ncg",
          // The trust-region ratio compares decreases of f, which float64 stops resolving long before
          // ‖g‖ reaches 1e-9 here (|f| ~ 10); 1e-6 is within reach for every case.
          tol: 1e-6,
          initialTrustRadius: 1e6,
          maxTrustRadius: 1e6,
        });
        expect(t.converged).toBe(true);
        expect(maxAbsDiff((t.x as X.Tensor).data, solve(A, b).data)).toBeLessThan(1e-5);
      }),
      { numRuns: 30 },
    );
  });

  it("HVPs by finite differences (hvp: 'fd') reach the same minimiser", () => {
    fc.assert(
      fc.property(quadCase(4), ([A, bv]) => {
        const b = X.tensor(bv);
        const r = minimize(quadratic(A, b), X.zeros([b.size]), { method: "newton-cg", tol: 1e-9, hvp: "fd" });
        expect(r.converged).toBe(true);
        expect(maxAbsDiff((r.x as X.Tensor).data, solve(A, b).data)).toBeLessThan(1e-7);
      }),
      { numRuns: 20 },
    );
  });

  it("L-BFGS with memory ≥ iterations and BFGS's H₀ scaling reproduces BFGS", () => {
    fc.assert(
      fc.property(quadCase(5), ([A, bv]) => {
        const b = X.tensor(bv);
        const f = quadratic(A, b);
        const x0 = X.ones([b.size]);
        const q = minimize(f, x0, { method: "bfgs", tol: 1e-9 });
        const l = minimize(f, x0, { method: "lbfgs", tol: 1e-9, memory: 1000, scaling: "initial" });
        const k = Math.min(3, q.history.length, l.history.length);
        for (let i = 0; i < k; i++) expect(l.history[i]).toBeCloseTo(q.history[i]!, 10);
        expect(maxAbsDiff((l.x as X.Tensor).data, (q.x as X.Tensor).data)).toBeLessThan(1e-7);
      }),
    );
  });

  it("the objective history never increases beyond rounding (approximate-Armijo slack 1e-10·(1+|f|))", () => {
    fc.assert(
      fc.property(quadCase(4), fc.constantFrom("gd", "bfgs", "lbfgs" as const), ([A, bv], method) => {
        const b = X.tensor(bv);
        const r = minimize(quadratic(A, b), X.ones([b.size]), { method, tol: 1e-8 });
        for (let i = 1; i < r.history.length; i++) {
          const prev = r.history[i - 1]!;
          expect(r.history[i]!).toBeLessThanOrEqual(prev + 1e-10 * (1 + Math.abs(prev)));
        }
      }),
      { numRuns: 30 },
    );
  });
});

describe("minimize vs SciPy 1.10 (tooling/reference/second-order-minimize.py)", () => {
  const methodOf: Record<string, "bfgs" | "lbfgs" | "newton-cg" | "trust-ncg"> = {
    BFGS: "bfgs",
    "L-BFGS-B": "lbfgs",
    "Newton-CG": "newton-cg",
    "trust-ncg": "trust-ncg",
  };
  // Newton-CG on 100-d costs ~2000 HVPs; it runs in apps/bench instead.
  const skip = (c: { problem: string; method: string }) => c.method === "Newton-CG" && c.problem.endsWith("100");
  for (const c of fixtures.cases.filter((c) => c.method in methodOf && !skip(c))) {
    it(`${c.problem} ${c.method}`, () => {
      const f = problems[c.problem]!;
      const r = minimize(f, X.tensor(c.x0), { method: methodOf[c.method]!, tol: 1e-9, maxIter: 5000 });
      expect(r.converged).toBe(true);
      // Powell's minimum is singular (quartic), so its minimiser is only determined to ~f^{1/4}.
      const xtol = c.problem === "powell" ? 5e-3 : 1e-6;
      expect(maxAbsDiff((r.x as X.Tensor).data, c.x)).toBeLessThan(xtol);
      expect(r.fun).toBeLessThan(1e-10);
      // Same family of algorithm: iteration counts within a factor of 2 of SciPy's.
      expect(r.iterations).toBeLessThan(2 * c.nit + 10);
    });
  }
});

describe("chained Rosenbrock n = 1000 vs SciPy 1.10 (tooling/reference/second-order-rosenbrock-1000.py)", () => {
  // The jac: true + hessp fast path (hand-written gradient and HVP, as SciPy's rosen_der / rosen_hess_prod);
  // the autodiff path on the same problem is timed in apps/bench.
  const methodOf = { "Newton-CG": "newton-cg", "trust-ncg": "trust-ncg", "L-BFGS-B": "lbfgs" } as const;
  const x0 = X.tensor(Array.from({ length: 1000 }, (_, i) => (i % 2 ? 1 : -1.2)));
  for (const c of big.cases) {
    it(`${c.method}: same minimiser, iterations within 2× of SciPy's`, () => {
      const method = methodOf[c.method as keyof typeof methodOf];
      const r = minimize(rosenVg, x0, {
        method,
        jac: true,
        ...(method === "lbfgs" ? {} : { hessp: rosenHessp }),
        tol: 1e-9,
        maxIter: 20000,
      });
      expect(r.converged).toBe(true);
      expect(maxAbsDiff((r.x as X.Tensor).data, c.x)).toBeLessThan(1e-8);
      expect(r.fun).toBeLessThan(1e-14);
      expect(r.iterations).toBeLessThan(2 * c.nit + 10);
      if (method !== "lbfgs") expect(r.nhev).toBeGreaterThan(0);
    });
  }

  it("hessp agrees with the autodiff HVP (Newton-CG on n = 20 follows the same path up to rounding)", () => {
    const y0 = X.tensor(Array.from({ length: 20 }, (_, i) => (i % 2 ? 1 : -1.2)));
    const a = minimize(rosen, y0, { method: "newton-cg", tol: 1e-9 });
    const b = minimize(rosenVg, y0, { method: "newton-cg", jac: true, hessp: rosenHessp, tol: 1e-9 });
    expect(Math.abs(b.iterations - a.iterations)).toBeLessThanOrEqual(0.05 * a.iterations);
    expect(maxAbsDiff(b.history.slice(0, 20), a.history.slice(0, 20))).toBeLessThan(1e-8);
    expect(maxAbsDiff((b.x as X.Tensor).data, (a.x as X.Tensor).data)).toBeLessThan(1e-8);
    expect(() => minimize(rosen, y0, { method: "newton-cg", hessp: 3 as never })).toThrow(/hessp must be a function/);
  });
});

describe("minimize over pytrees and with jac: true", () => {
  it("fits a pytree of parameters (least squares line fit)", () => {
    const t = X.linspace(0, 1, 20);
    const y = X.add(X.mul(3, t), -1);
    const loss = (p: { w: X.Tensor; b: X.Tensor }) => X.sum(X.square(X.sub(X.add(X.mul(p.w, t), p.b), y)));
    const r = minimize(loss, { w: X.tensor([0]), b: X.tensor([0]) }, { tol: 1e-10 });
    const x = r.x as { w: X.Tensor; b: X.Tensor };
    expect(r.converged).toBe(true);
    expect(x.w.data[0]).toBeCloseTo(3, 8);
    expect(x.b.data[0]).toBeCloseTo(-1, 8);
    expect((r.grad as { w: X.Tensor }).w.shape).toEqual([1]);
  });

  it("jac: true (f returns [value, gradient]) follows the autodiff path", () => {
    const f = problems.rosenbrock!;
    const vg = X.valueAndGrad(f);
    const a = minimize(f, X.tensor([-1.2, 1]), { tol: 1e-9 });
    const b = minimize((x: X.Tensor) => vg(x) as [X.Tensor, X.Tensor], X.tensor([-1.2, 1]), { tol: 1e-9, jac: true });
    expect(b.iterations).toBe(a.iterations);
    expect(maxAbsDiff((b.x as X.Tensor).data, (a.x as X.Tensor).data)).toBeLessThan(1e-12);
  });

  it("accepts plain arrays for x0", () => {
    const r = minimize(problems.rosenbrock!, [-1.2, 1], { tol: 1e-9 });
    expect((r.x as X.Tensor).shape).toEqual([2]);
    expect(r.converged).toBe(true);
  });
});

describe("minimize bad input", () => {
  const f = problems.rosenbrock!;
  it("rejects non-finite or empty x0 and unknown methods", () => {
    expect(() => minimize(f, X.tensor([Number.NaN, 1]))).toThrow(X.ValueError);
    expect(() => minimize(f, X.tensor([Number.NaN, 1]))).toThrow(/x0 must be finite/);
    expect(() => minimize(f, X.zeros([0]))).toThrow(/x0 has no entries/);
    expect(() => minimize(f, X.tensor([1, 2]), { method: "nope" as "gd" })).toThrow(/unknown method 'nope'/);
    expect(() => minimize(f, X.tensor([1, 2]), { tol: -1 })).toThrow(/tol must be ≥ 0/);
    expect(() => minimize(f, X.tensor([1, 2]), { maxIter: 1.5 })).toThrow(/maxIter/);
    expect(() => minimize(f, X.tensor([1, 2]), { method: "trust-ncg", initialTrustRadius: -1 })).toThrow(
      /initialTrustRadius/,
    );
  });

  it("rejects a non-scalar objective and a gradient of the wrong size", () => {
    expect(() => minimize((x: X.Tensor) => X.square(x), X.tensor([1, 2]))).toThrow(X.ShapeError);
    expect(() =>
      minimize((x: X.Tensor) => [X.sum(x), new Float64Array(3)] as const, X.tensor([1, 2]), { jac: true }),
    ).toThrow(/gradient: expected 2 values, got 3/);
  });

  it("reports maxIter reached as not converged", () => {
    for (const method of ["gd", "bfgs", "lbfgs", "newton-cg", "trust-ncg", "newton"] as const) {
      const r = minimize(f, X.tensor([-1.2, 1]), { method, maxIter: 3 });
      expect(r.converged).toBe(false);
      expect(r.iterations).toBe(3);
      expect(r.message).toMatch(/maximum number of iterations/);
    }
  });

  it("stops with a message when f is not finite at x0", () => {
    const r = minimize((x: X.Tensor) => X.sum(X.log(x)), X.tensor([-1, 1]));
    expect(r.converged).toBe(false);
    expect(r.message).toMatch(/not finite at x0/);
    expect(r.iterations).toBe(0);
  });

  it("keeps going when trial steps leave the domain of f (NaN region)", () => {
    // f = Σ x − log x: minimum at 1, NaN for x < 0; long quasi-Newton steps can land there.
    const g = (x: X.Tensor) => X.sum(X.sub(x, X.log(x)));
    for (const method of ["bfgs", "lbfgs", "newton-cg", "trust-ncg", "newton"] as const) {
      const r = minimize(g, X.tensor([20, 0.05]), { method, maxIter: 500, tol: 1e-9 });
      expect(r.converged).toBe(true);
      expect(maxAbsDiff((r.x as X.Tensor).data, [1, 1])).toBeLessThan(1e-6);
    }
  });

  it("stops with the last good iterate when every trial step is non-finite", () => {
    // Only finite on a set the iterate cannot leave downhill from: f = x (decreasing towards 0), NaN below 0.
    const g = (x: X.Tensor) => X.sum(X.add(X.sqrt(x), X.mul(0, x)));
    for (const method of ["gd", "bfgs", "lbfgs"] as const) {
      const r = minimize(g, X.tensor([1e-300]), { method, maxIter: 50 });
      expect(r.converged).toBe(false);
      expect(Number.isFinite(r.fun)).toBe(true);
      expect(r.message).toMatch(/non-finite|line search failed/);
    }
  });
});
