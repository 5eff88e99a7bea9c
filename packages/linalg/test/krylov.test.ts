import { LinearOperator, ShapeError, type Tensor, tensor, ValueError } from "@x/tensor";
import { arbDiagDominant, arbMatrix, arbOrthogonal, arbSPD, arbTensorOf, close, expectClose } from "@x/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CsrMatrix, cg, fpcg, gmres, ic0, jacobi, lsmr, lsqr, minres, pcg, poisson2d } from "../src/krylov/index.js";
import fx from "./fixtures/linalg-krylov.json";
import { denseMatvec, gaussJordanInverse, norm2, residualNorm } from "./krylov-helpers.js";

const TOL = 1e-8;
// Right-hand sides bounded away from 0 so that ‖b‖ is not tiny.
const arbSystem = (arbA: (n: number) => fc.Arbitrary<Tensor>) =>
  fc
    .integer({ min: 1, max: 6 })
    .chain((n) => fc.tuple(arbA(n), arbTensorOf([n], { min: 0.5, max: 2 }), fc.constant(n)));

function rhs(n2: number, kind: string): Tensor {
  const b = new Float64Array(n2);
  for (let i = 0; i < n2; i++) b[i] = kind === "ones" ? 1 : Math.sin(i + 1);
  return tensor(b, [n2]);
}

describe("cg / pcg", () => {
  it("cg solves SPD systems to tolerance; the last recorded residual is ≤ tol·‖b‖", () => {
    fc.assert(
      fc.property(arbSystem(arbSPD), ([a, b]) => {
        const res = cg(a, b, { tol: TOL });
        expect(res.converged).toBe(true);
        expect(res.residualNorms.length).toBe(res.iterations + 1);
        expect(res.residualNorms.at(-1)!).toBeLessThanOrEqual(TOL * norm2(b.data));
        // The true residual agrees with the recursive one up to rounding.
        expect(residualNorm(a, res.x, b)).toBeLessThanOrEqual(10 * TOL * norm2(b.data) + 1e-13);
      }),
      { numRuns: 20 },
    );
  });

  it("pcg with the exact preconditioner M = A⁻¹ converges in one iteration", () => {
    fc.assert(
      fc.property(arbSystem(arbSPD), ([a, b]) => {
        const res = pcg(a, b, { tol: TOL, M: gaussJordanInverse(a) });
        expect(res.converged).toBe(true);
        expect(res.iterations).toBe(1);
      }),
      { numRuns: 20 },
    );
  });

  it("pcg with Jacobi solves SPD systems; a function preconditioner gives the same iterates", () => {
    fc.assert(
      fc.property(arbSystem(arbSPD), ([a, b]) => {
        const M = jacobi(a);
        const r1 = pcg(a, b, { tol: TOL, M });
        const r2 = pcg(LinearOperator.fromDense(a, { symmetric: true }), b, { tol: TOL, M: (r) => M.matvec(r) });
        expect(r1.converged).toBe(true);
        expect(r1.residualNorms.at(-1)!).toBeLessThanOrEqual(TOL * norm2(b.data));
        expect(r2.iterations).toBe(r1.iterations);
        expectClose(r2.x, r1.x, { rtol: 1e-10, atol: 1e-12 });
      }),
      { numRuns: 20 },
    );
  });

  it("callback sees every iterate; x0 is honoured; b = 0 returns 0", () => {
    const a = tensor([
      [4, 1],
      [1, 3],
    ]);
    const seen: number[] = [];
    const res = cg(a, [1, 2], { tol: 1e-12, callback: (i) => seen.push(i.iteration) });
    expect(seen).toEqual([1, 2]);
    expectClose(res.x, [1 / 11, 7 / 11], { rtol: 1e-10 });
    const warm = cg(a, [1, 2], { x0: res.x, tol: 1e-10 });
    expect(warm.iterations).toBe(0);
    expectClose(cg(a, [0, 0]).x, [0, 0]);
  });

  it("works matrix-free (LinearOperator.fromFunction) and with a CsrMatrix preconditioner", () => {
    const n = 50;
    // 1-D Laplacian tridiag(−1, 2, −1) by its action only.
    const lap = LinearOperator.fromFunction(
      [n, n],
      (v) => {
        const d = v.data;
        return tensor(
          Float64Array.from({ length: n }, (_, i) => 2 * d[i]! - (i > 0 ? d[i - 1]! : 0) - (i < n - 1 ? d[i + 1]! : 0)),
          [n],
        );
      },
      { symmetric: true },
    );
    const b = rhs(n, "sin");
    const res = cg(lap, b, { tol: 1e-10 });
    expect(res.converged).toBe(true);
    expect(res.iterations).toBeLessThanOrEqual(n + 2);
    const dense = lap.toDense();
    expect(residualNorm(dense, res.x, b)).toBeLessThanOrEqual(1e-9 * norm2(b.data));
    const p = poisson2d(4);
    const pj = pcg(p, rhs(16, "ones"), { tol: 1e-10, M: CsrMatrix.fromDense(gaussJordanInverse(p.toDense())) });
    expect(pj.iterations).toBe(1);
  });

  it("never hangs: maxIter caps the work and non-convergence is reported", () => {
    const p = poisson2d(20);
    const res = cg(p, rhs(400, "sin"), { tol: 1e-12, maxIter: 5 });
    expect(res.converged).toBe(false);
    expect(res.iterations).toBe(5);
    // An indefinite matrix breaks CG down; reported, not thrown, and x stays finite.
    const bad = cg(
      [
        [1, 0],
        [0, -1],
      ],
      [1, 1],
    );
    expect(bad.converged).toBe(false);
    expect(bad.message).toMatch(/positive definite/);
  });

  it("bad input: non-square A, shape mismatch of b, NaN in b", () => {
    expect(() => cg([[1, 2, 3]], [1])).toThrow(/cg: A must be square/);
    expect(() => cg(poisson2d(3), [1, 2, 3])).toThrow(ShapeError);
    expect(() => pcg(poisson2d(2), [1, 2, 3])).toThrow(/pcg: b must be a vector of length 4/);
    expect(() => pcg(poisson2d(2), [1, 1, 1, 1], { M: poisson2d(3) })).toThrow(/pcg: M has shape/);
    expect(() => cg(poisson2d(2), [1, Number.NaN, 1, 1])).toThrow(ValueError);
    expect(() => cg(poisson2d(2), [1, 1, 1, 1], { tol: -1 })).toThrow(/tol must be/);
  });
});

describe("fpcg", () => {
  it("with a fixed preconditioner it reproduces the pcg iterates", () => {
    fc.assert(
      fc.property(arbSystem(arbSPD), ([a, b]) => {
        const M = jacobi(a);
        const xs1: Tensor[] = [];
        const xs2: Tensor[] = [];
        const r1 = pcg(a, b, { tol: TOL, M, callback: (i) => xs1.push(i.x) });
        const r2 = fpcg(a, b, { tol: TOL, M, callback: (i) => xs2.push(i.x) });
        expect(r2.converged).toBe(true);
        expect(Math.abs(r2.iterations - r1.iterations)).toBeLessThanOrEqual(1);
        for (let k = 0; k < Math.min(xs1.length, xs2.length) - 1; k++) {
          expectClose(xs2[k]!, xs1[k]!, { rtol: 1e-6, atol: 1e-8 }, `iterate ${k + 1}`);
        }
        expectClose(r2.x, r1.x, { rtol: 1e-6, atol: 1e-7 });
      }),
      { numRuns: 20 },
    );
  });

  it("converges with a preconditioner that changes every iteration (inner CG solves)", () => {
    const p = poisson2d(12);
    const b = rhs(144, "sin");
    // M_k = a few inner CG steps on A z = r: a nonlinear, varying preconditioner that breaks plain PCG's theory.
    const res = fpcg(p, b, { tol: TOL, M: (r, k) => cg(p, r, { maxIter: 2 + (k % 3), tol: 0 }).x });
    expect(res.converged).toBe(true);
    expect(residualNorm(p.toDense(), res.x, b)).toBeLessThanOrEqual(10 * TOL * norm2(b.data));
    expect(res.iterations).toBeLessThan(cg(p, b, { tol: TOL }).iterations);
  });

  it("bad input: NaN in b", () => {
    expect(() => fpcg(poisson2d(2), [1, 1, Number.NaN, 1])).toThrow(/fpcg: b must be finite/);
  });
});

describe("minres", () => {
  // Symmetric indefinite: Q diag(λ) Qᵀ with |λ| ∈ [0.5, 3] and mixed signs.
  const arbSymIndef = (n: number) =>
    fc
      .tuple(arbOrthogonal(n), fc.array(fc.double({ min: 0.5, max: 3, noNaN: true }), { minLength: n, maxLength: n }))
      .map(([q, lam]) => {
        const qd = q.data;
        const a = new Float64Array(n * n);
        for (let i = 0; i < n; i++)
          for (let j = 0; j < n; j++) {
            let s = 0;
            for (let k = 0; k < n; k++) s += qd[i * n + k]! * (k % 2 === 0 ? lam[k]! : -lam[k]!) * qd[j * n + k]!;
            a[i * n + j] = s;
          }
        // Symmetrise exactly.
        for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) a[j * n + i] = a[i * n + j]!;
        return tensor(a, [n, n]);
      });

  it("solves symmetric indefinite and SPD systems; the residual history is non-increasing", () => {
    fc.assert(
      fc.property(
        fc.boolean().chain((indef) => arbSystem(indef ? arbSymIndef : arbSPD)),
        ([a, b]) => {
          const res = minres(a, b, { tol: TOL });
          expect(res.converged).toBe(true);
          expect(res.residualNorms.at(-1)!).toBeLessThanOrEqual(TOL * norm2(b.data));
          for (let k = 1; k < res.residualNorms.length; k++) {
            expect(res.residualNorms[k]!).toBeLessThanOrEqual(res.residualNorms[k - 1]! * (1 + 1e-12));
          }
          expect(residualNorm(a, res.x, b)).toBeLessThanOrEqual(100 * TOL * norm2(b.data) + 1e-12);
        },
      ),
      { numRuns: 20 },
    );
  });

  it("bad input: a preconditioner of the wrong size", () => {
    expect(() => minres(poisson2d(2), [1, 1, 1, 1], { M: [[1]] })).toThrow(/minres: M has shape \[1, 1\]/);
  });
});

describe("gmres", () => {
  // Positive real (A + Aᵀ SPD): restarted GMRES(m) converges for every m (Elman 1982).
  const arbPosReal = (n: number) =>
    fc.tuple(arbSPD(n), arbMatrix(n, n, { min: -1, max: 1 })).map(([s, k]) => {
      const a = Float64Array.from(s.data);
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) a[i * n + j]! += (k.data[i * n + j]! - k.data[j * n + i]!) / 2;
      return tensor(a, [n, n]);
    });

  it("restarted GMRES(2) solves positive-real nonsymmetric systems", () => {
    fc.assert(
      fc.property(arbSystem(arbPosReal), ([a, b]) => {
        const res = gmres(a, b, { tol: TOL, restart: 2, maxIter: 2000 });
        expect(res.converged).toBe(true);
        expect(res.residualNorms.at(-1)!).toBeLessThanOrEqual(TOL * norm2(b.data));
        expect(residualNorm(a, res.x, b)).toBeLessThanOrEqual(TOL * norm2(b.data) * (1 + 1e-9));
      }),
      { numRuns: 20 },
    );
  });

  it("solves diagonally dominant systems with right and left Jacobi preconditioning", () => {
    fc.assert(
      fc.property(arbSystem(arbDiagDominant), fc.constantFrom("left", "right" as const), ([a, b, n], side) => {
        const res = gmres(a, b, { tol: TOL, restart: n, M: jacobi(a), side: side as "left" | "right" });
        expect(res.converged).toBe(true);
        if (side === "right") expect(res.residualNorms.at(-1)!).toBeLessThanOrEqual(TOL * norm2(b.data));
        expect(residualNorm(a, res.x, b)).toBeLessThanOrEqual(1e3 * TOL * norm2(b.data));
      }),
      { numRuns: 20 },
    );
  });

  it("with restart m ≥ n converges in at most n steps", () => {
    fc.assert(
      fc.property(arbSystem(arbDiagDominant), ([a, b, n]) => {
        const res = gmres(a, b, { tol: TOL, restart: n + 1 });
        expect(res.converged).toBe(true);
        expect(res.iterations).toBeLessThanOrEqual(n);
      }),
      { numRuns: 20 },
    );
  });

  it("bad input: restart must be a positive integer", () => {
    expect(() => gmres(poisson2d(2), [1, 1, 1, 1], { restart: 0 })).toThrow(/gmres: restart must be/);
  });
});

describe("lsqr", () => {
  // Tall, full rank: random entries plus 3·I on the top block.
  const arbTall = fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 })).chain(([n, extra]) =>
    fc
      .tuple(arbMatrix(n + extra, n, { min: -1, max: 1 }), arbTensorOf([n + extra], { min: -2, max: 2 }))
      .map(([a, b]) => {
        const d = Float64Array.from(a.data);
        for (let i = 0; i < n; i++) d[i * n + i]! += 3;
        return [tensor(d, [n + extra, n]), b, n, n + extra] as const;
      }),
  );

  function normalEquations(a: Tensor, b: Tensor, damp: number): Float64Array {
    const [m, n] = [a.shape[0]!, a.shape[1]!];
    const d = a.data;
    const ata = new Float64Array(n * n);
    const atb = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < m; k++) s += d[k * n + i]! * d[k * n + j]!;
        ata[i * n + j] = s + (i === j ? damp * damp : 0);
      }
      for (let k = 0; k < m; k++) atb[i]! += d[k * n + i]! * b.data[k]!;
    }
    return denseMatvec(gaussJordanInverse(tensor(ata, [n, n])), atb);
  }

  it("matches the normal-equations solution on tall full-rank systems, with and without damping", () => {
    fc.assert(
      fc.property(arbTall, fc.constantFrom(0, 0.7), ([a, b], damp) => {
        const res = lsqr(a, b, { damp, atol: 1e-12, btol: 1e-12 });
        expect(res.converged).toBe(true);
        expect([0, 1, 2, 4, 5]).toContain(res.istop);
        expectClose(res.x, normalEquations(a, b, damp), { rtol: 1e-7, atol: 1e-8 });
      }),
      { numRuns: 20 },
    );
  });

  it("lsmr matches the normal-equations solution too, and ‖Aᵀr‖ never increases", () => {
    fc.assert(
      fc.property(arbTall, fc.constantFrom(0, 0.7), ([a, b], damp) => {
        const res = lsmr(a, b, { damp, atol: 1e-12, btol: 1e-12, maxIter: 100 });
        expect(res.converged).toBe(true);
        expectClose(res.x, normalEquations(a, b, damp), { rtol: 1e-7, atol: 1e-8 });
        const ar = res.normalResidualNorms;
        for (let k = 1; k < ar.length; k++) expect(ar[k]!).toBeLessThanOrEqual(ar[k - 1]! * (1 + 1e-10));
      }),
      { numRuns: 20 },
    );
  });

  it("tall sparse least squares (100×60 slice of poisson2d(10)) against NumPy lstsq and SciPy's lsqr/lsmr", () => {
    const t = fx.tallLeastSquares;
    const a = CsrMatrix.fromTriplets(t.rows, t.cols, t.vals, t.shape as [number, number]);
    for (const c of t.cases) {
      const r1 = lsqr(a, t.b, { damp: c.damp, atol: 1e-12, btol: 1e-12, maxIter: 1000 });
      const r2 = lsmr(a, t.b, { damp: c.damp, atol: 1e-12, btol: 1e-12, maxIter: 1000 });
      for (const r of [r1, r2]) {
        expect(r.converged).toBe(true);
        expectClose(r.x, c.x, { rtol: 1e-8, atol: 1e-10 });
      }
      expect(r1.istop).toBe(c.lsqr.istop);
      expect(r2.istop).toBe(c.lsmr.istop);
      expect(Math.abs(r1.iterations - c.lsqr.iterations)).toBeLessThanOrEqual(2);
      expect(Math.abs(r2.iterations - c.lsmr.iterations)).toBeLessThanOrEqual(2);
      expect(close(r1.r1norm, c.lsqr.r1norm, { rtol: 1e-8 })).toBe(true);
      expect(close(r2.residualNorms.at(-1)!, c.lsmr.normr, { rtol: 1e-8 })).toBe(true);
    }
  });

  it("reports the iteration limit with istop 7", () => {
    const res = lsqr(poisson2d(5), rhs(25, "sin"), { maxIter: 2, atol: 1e-14, btol: 1e-14 });
    expect(res.istop).toBe(7);
    expect(res.converged).toBe(false);
    expect(res.message).toMatch(/iteration limit/);
  });

  it("bad input: b of the wrong length, negative damp", () => {
    expect(() => lsqr([[1], [2], [3]], [1, 2])).toThrow(/lsqr: b must be a vector of length 3/);
    expect(() => lsmr([[1], [2], [3]], [1, 2, 3], { damp: -1 })).toThrow(/lsmr: damp must be a finite number ≥ 0/);
  });
});

describe("2-D Poisson against SciPy (tooling/reference/linalg-krylov.py)", () => {
  // Stopping rules. cg: ours stops on the recursively updated residual ‖r_k‖₂ ≤ tol·‖b‖₂, as SciPy 1.10's cg called
  // with atol=0; the counts agree exactly on these problems (15/30/55/77, 187 and 79 on the 100×100 grid), we allow
  // ±2 (±3 on the grid) for rounding. gmres(20): same rule on the Arnoldi residual estimate, confirmed by the true
  // residual at restarts; SciPy's inner-step count (callback_type "pr_norm") matches exactly, we allow ±2.
  // lsqr: the same Paige–Saunders tests (istop) with atol = btol = 1e-12; counts match exactly (±1 on the
  // 499-step case), we allow ±2; lsmr likewise (exact matches). minres: SciPy stops on ‖r‖/(‖A‖‖x‖) ≤ tol, ours on ‖r‖ ≤ tol·‖b‖, so only the
  // solution norms are compared (ours with tol 1e-11 takes 15/36/64/99 steps vs SciPy's 15/36/57/97 at 1e-12).
  for (const c of fx.cases) {
    it(`n = ${c.n}, b = ${c.rhs}: cg, gmres(20), minres, lsqr, lsmr`, () => {
      const p = poisson2d(c.n);
      const b = rhs(c.n * c.n, c.rhs);
      const r = cg(p, b, { tol: c.tol });
      expect(r.converged).toBe(true);
      expect(Math.abs(r.iterations - c.cg.iterations)).toBeLessThanOrEqual(2);
      expect(close(norm2(r.x.data), c.cg.xNorm, { rtol: 1e-6 })).toBe(true);
      expect(close(norm2(r.x.data), c.exactNorm, { rtol: 1e-6 })).toBe(true);
      if ("exact" in c) expectClose(r.x, c.exact as number[], { rtol: 1e-6, atol: 1e-8 });
      const g = gmres(p, b, { tol: c.tol, restart: 20 });
      expect(g.converged).toBe(true);
      expect(close(norm2(g.x.data), c.gmres20.xNorm, { rtol: 1e-6 })).toBe(true);
      expect(Math.abs(g.iterations - c.gmres20.innerIterations)).toBeLessThanOrEqual(
        Math.max(3, 0.1 * c.gmres20.innerIterations),
      );
      const mr = minres(p.toOperator({ symmetric: true }), b, { tol: 1e-11 });
      expect(mr.converged).toBe(true);
      expect(close(norm2(mr.x.data), c.minres.xNorm, { rtol: 1e-9 })).toBe(true);
      const ls = lsqr(p, b, { atol: c.lsqr.tol, btol: c.lsqr.tol, maxIter: 10 * c.n * c.n });
      expect(ls.istop).toBe(c.lsqr.istop);
      expect(close(norm2(ls.x.data), c.lsqr.xNorm, { rtol: 1e-9 })).toBe(true);
      expect(Math.abs(ls.iterations - c.lsqr.iterations)).toBeLessThanOrEqual(2);
      const lm = lsmr(p, b, { atol: c.lsmr.tol, btol: c.lsmr.tol, maxIter: 10 * c.n * c.n });
      expect(lm.istop).toBe(c.lsmr.istop);
      expect(close(norm2(lm.x.data), c.lsmr.xNorm, { rtol: 1e-9 })).toBe(true);
      expect(Math.abs(lm.iterations - c.lsmr.iterations)).toBeLessThanOrEqual(2);
    });
  }

  it("100×100 grid (10 000 unknowns): IC(0)-preconditioned CG needs far fewer iterations than plain CG", () => {
    const g = fx.grid100;
    const p = poisson2d(g.n);
    expect(p.nnz).toBe(5 * g.n * g.n - 4 * g.n);
    const b = rhs(g.n * g.n, g.rhs);
    const plain = cg(p, b, { tol: g.tol });
    const pre = pcg(p, b, { tol: g.tol, M: ic0(p) });
    expect(plain.converged && pre.converged).toBe(true);
    expect(Math.abs(plain.iterations - g.cgIterations)).toBeLessThanOrEqual(3);
    expect(Math.abs(pre.iterations - g.cgIc0Iterations)).toBeLessThanOrEqual(3);
    expect(pre.iterations).toBeLessThan(0.5 * plain.iterations);
    expect(close(norm2(plain.x.data), g.exactNorm, { rtol: 1e-6 })).toBe(true);
    expect(close(norm2(pre.x.data), g.exactNorm, { rtol: 1e-6 })).toBe(true);
  });
});
