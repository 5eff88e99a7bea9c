import { eigh, solve } from "@x/linalg";
import * as X from "@x/tensor";
import { arbSPD, arbValues } from "@x/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cubicSubproblemEig, cubicSubproblemLanczos } from "../src/arc.js";
import { minimize } from "../src/index.js";
import fixtures from "./fixtures/minimize.json";
import { maxAbsDiff, problems, quadratic } from "./problems.js";

const quadCase = (maxN: number) =>
  fc.integer({ min: 1, max: maxN }).chain((n) => fc.tuple(arbSPD(n, 0.5), arbValues(n, { min: -2, max: 2 })));

/** A random symmetric (possibly indefinite) n×n matrix, a vector g and σ. */
const symCase = fc
  .integer({ min: 1, max: 6 })
  .chain((n) =>
    fc.tuple(
      arbValues(n * n, { min: -2, max: 2 }),
      arbValues(n, { min: -2, max: 2 }),
      fc.double({ min: 0.05, max: 5, noNaN: true }),
      fc.constant(n),
    ),
  );

function symOf(vals: number[], n: number): Float64Array {
  const B = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) B[i * n + j] = 0.5 * (vals[i * n + j]! + vals[j * n + i]!);
  return B;
}
const mv = (B: Float64Array, v: Float64Array) => {
  const n = v.length;
  const o = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) o[i]! += B[i * n + j]! * v[j]!;
  return o;
};
const cubic = (B: Float64Array, g: Float64Array, sigma: number, s: Float64Array) => {
  const Bs = mv(B, s);
  let lin = 0;
  let quad = 0;
  let nn = 0;
  for (let i = 0; i < s.length; i++) {
    lin += g[i]! * s[i]!;
    quad += s[i]! * Bs[i]!;
    nn += s[i]! * s[i]!;
  }
  return lin + 0.5 * quad + (sigma / 3) * nn ** 1.5;
};
const eigOf = (B: Float64Array, n: number) => {
  const e = eigh(X.tensor(B, [n, n]));
  return { w: Float64Array.from(e.values.data), V: Float64Array.from(e.vectors.data) };
};

describe("cubic subproblem (Cartis, Gould & Toint 2011, Thm 3.1)", () => {
  it("eigh solver: (B + σ‖s‖I)s = −g, B + σ‖s‖I ⪰ 0, and no random point has a lower model value", () => {
    fc.assert(
      fc.property(
        symCase,
        fc.array(arbValues(6, { min: -3, max: 3 }), { minLength: 20, maxLength: 20 }),
        ([bv, gv, sigma, n], trials) => {
          const B = symOf(bv, n);
          const g = Float64Array.from(gv);
          const { w, V } = eigOf(B, n);
          const { s, model } = cubicSubproblemEig(w, V, g, sigma);
          const lam = sigma * Math.hypot(...s);
          const r = mv(B, s).map((v, i) => v + lam * s[i]! + g[i]!);
          const scale = 1 + Math.hypot(...g) + lam * Math.hypot(...s);
          expect(Math.max(...r.map(Math.abs))).toBeLessThan(1e-8 * scale);
          expect(w[0]! + lam).toBeGreaterThanOrEqual(-1e-8 * (1 + Math.abs(w[0]!)));
          expect(Math.abs(model - cubic(B, g, sigma, s))).toBeLessThan(1e-10 * (1 + Math.abs(model)));
          for (const t of trials) {
            const z = Float64Array.from(t.slice(0, n));
            expect(model).toBeLessThanOrEqual(cubic(B, g, sigma, z) + 1e-10 * (1 + Math.abs(model)));
          }
        },
      ),
    );
  });

  it("eigh solver handles the hard case (g ⟂ the negative-curvature eigenvector)", () => {
    // B = diag(−1, 2), g = (0, 1), σ = 1: λ = 1, s = (±τ, −1/3) with ‖s‖ = 1 → τ = √(8/9).
    const { s, model } = cubicSubproblemEig(
      Float64Array.of(-1, 2),
      Float64Array.of(1, 0, 0, 1),
      Float64Array.of(0, 1),
      1,
    );
    expect(Math.abs(Math.abs(s[0]!) - Math.sqrt(8 / 9))).toBeLessThan(1e-12);
    expect(Math.abs(s[1]! + 1 / 3)).toBeLessThan(1e-12);
    const B = Float64Array.of(-1, 0, 0, 2);
    expect(Math.abs(model - cubic(B, Float64Array.of(0, 1), 1, s))).toBeLessThan(1e-12);
  });

  it("Lanczos solver run to the full Krylov space equals the eigh solver", () => {
    fc.assert(
      fc.property(symCase, ([bv, gv, sigma, n]) => {
        const g = Float64Array.from(gv);
        fc.pre(Math.hypot(...g) > 1e-3);
        const B = symOf(bv, n);
        const { w, V } = eigOf(B, n);
        const e = cubicSubproblemEig(w, V, g, sigma);
        const l = cubicSubproblemLanczos((v) => mv(B, v), g, sigma, 1e-13, n);
        // The Krylov space of (B, g) may be smaller than n; its minimiser is then the global one unless the
        // hard case needs a direction outside it, so compare model values (never lower than the global min).
        expect(l.model).toBeGreaterThanOrEqual(e.model - 1e-9 * (1 + Math.abs(e.model)));
        expect(Math.abs(l.model - cubic(B, g, sigma, l.s))).toBeLessThan(1e-9 * (1 + Math.abs(l.model)));
        if (w[0]! > 0) expect(maxAbsDiff(l.s, e.s)).toBeLessThan(1e-7 * (1 + Math.hypot(...e.s)));
      }),
    );
  });
});

describe("minimize(method: 'arc')", () => {
  for (const subproblem of ["eigh", "lanczos"] as const) {
    for (const lazyHessian of [1, 3]) {
      it(`converges to A⁻¹b on random convex quadratics (${subproblem}, lazyHessian ${lazyHessian}) and f never increases`, () => {
        fc.assert(
          fc.property(quadCase(5), ([A, bv]) => {
            const b = X.tensor(bv);
            const r = minimize(quadratic(A, b), X.zeros([b.size]), {
              method: "arc",
              subproblem,
              lazyHessian,
              tol: 1e-9,
              maxIter: 500,
            });
            expect(r.converged).toBe(true);
            expect(maxAbsDiff((r.x as X.Tensor).data, solve(A, b).data)).toBeLessThan(1e-7);
            for (let i = 1; i < r.history.length; i++) expect(r.history[i]!).toBeLessThanOrEqual(r.history[i - 1]!);
          }),
          { numRuns: 20 },
        );
      });
    }
  }

  it("nhev = ⌈iterations / m⌉ Hessians with lazyHessian m, and f decreases monotonically on accepted steps", () => {
    for (const name of ["rosenbrock", "beale", "powell"]) {
      const c = fixtures.cases.find((k) => k.problem === name)!;
      for (const m of [1, 2, 4, 8]) {
        const r = minimize(problems[name]!, X.tensor(c.x0), {
          method: "arc",
          lazyHessian: m,
          tol: 1e-8,
          maxIter: 2000,
        });
        expect(r.converged).toBe(true);
        expect(r.nhev).toBe(Math.ceil(r.iterations / m));
        for (let i = 1; i < r.history.length; i++) expect(r.history[i]!).toBeLessThan(r.history[i - 1]!);
      }
    }
  });

  describe("reaches SciPy 1.10's minimisers (tooling/reference/second-order-minimize.py)", () => {
    const seen = new Set<string>();
    // Chained Rosenbrock (100-d) runs in apps/bench: a dense Hessian is 100 nested-autodiff HVPs, and from
    // (−1.2, 1, …) the Lanczos variant can settle in the known local minimiser near x₁ = −1.
    for (const c of fixtures.cases.filter((k) => k.method === "BFGS" && !k.problem.endsWith("100"))) {
      if (seen.has(c.problem)) continue;
      seen.add(c.problem);
      for (const [subproblem, lazyHessian] of [
        ["eigh", 1],
        ["eigh", 4],
        ["lanczos", 1],
      ] as const) {
        it(`${c.problem} (${subproblem}, lazyHessian ${lazyHessian})`, () => {
          const r = minimize(problems[c.problem]!, X.tensor(c.x0), {
            method: "arc",
            subproblem,
            lazyHessian,
            tol: 1e-9,
            maxIter: 3000,
          });
          expect(r.converged).toBe(true);
          const xtol = c.problem === "powell" ? 5e-3 : 1e-6;
          expect(maxAbsDiff((r.x as X.Tensor).data, c.x)).toBeLessThan(xtol);
          expect(r.fun).toBeLessThan(1e-10);
        });
      }
    }
  });

  it("rejects bad options and reports non-finite starts", () => {
    const f = problems.rosenbrock!;
    expect(() => minimize(f, X.tensor([1, 2]), { method: "arc", lazyHessian: 0 })).toThrow(/lazyHessian/);
    expect(() => minimize(f, X.tensor([1, 2]), { method: "arc", initialSigma: -1 })).toThrow(/initialSigma/);
    expect(() => minimize(f, X.tensor([1, 2]), { method: "arc", subproblem: "qr" as "eigh" })).toThrow(/subproblem/);
    const r = minimize((x: X.Tensor) => X.sum(X.log(x)), X.tensor([-1, 2]), { method: "arc" });
    expect(r.converged).toBe(false);
    expect(r.message).toMatch(/not finite/);
    const m = minimize(f, X.tensor([-1.2, 1]), { method: "arc", maxIter: 3 });
    expect(m.converged).toBe(false);
    expect(m.iterations).toBe(3);
  });
});
