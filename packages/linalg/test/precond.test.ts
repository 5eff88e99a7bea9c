import { type Tensor, tensor, ValueError } from "@x/tensor";
import { arbDiagDominant, arbSPD, arbTensorOf, close, expectClose } from "@x/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CsrMatrix,
  cg,
  chebyshev,
  chebyshevPreconditioner,
  gaussSeidel,
  gmres,
  ic0,
  ic0Factor,
  ilu0,
  jacobi,
  pcg,
  poisson2d,
  sor,
  ssor,
  ssorPreconditioner,
} from "../src/krylov/index.js";
import fx from "./fixtures/linalg-krylov.json";
import { norm2, residualNorm } from "./krylov-helpers.js";

const TOL = 1e-8;
const arbSystem = (arbA: (n: number) => fc.Arbitrary<Tensor>) =>
  fc.integer({ min: 1, max: 6 }).chain((n) => fc.tuple(arbA(n), arbTensorOf([n], { min: 0.5, max: 2 })));

function sinRhs(n: number): Tensor {
  return tensor(
    Array.from({ length: n }, (_, i) => Math.sin(i + 1)),
    [n],
  );
}

// Extreme eigenvalues of poisson2d(n): 4 ∓ 4cos(π/(n+1)).
const poissonBounds = (n: number) => ({
  lmin: 4 - 4 * Math.cos(Math.PI / (n + 1)),
  lmax: 4 + 4 * Math.cos(Math.PI / (n + 1)),
});

describe("jacobi", () => {
  it("is diag(A)⁻¹", () => {
    const m = jacobi(poisson2d(2));
    expectClose(m.matvec([4, 8, 12, 16]), [1, 2, 3, 4]);
    expect(m.symmetric).toBe(true);
  });
  it("bad input: a zero diagonal entry", () => {
    expect(() =>
      jacobi([
        [0, 1],
        [1, 2],
      ]),
    ).toThrow(/jacobi: A has diagonal entry 0 at row 0/);
  });
});

describe("Gauss–Seidel, SOR, SSOR", () => {
  it("Gauss–Seidel solves strictly diagonally dominant systems", () => {
    fc.assert(
      fc.property(arbSystem(arbDiagDominant), ([a, b]) => {
        const r = gaussSeidel(a, b, { tol: TOL, maxIter: 5000 });
        expect(r.converged).toBe(true);
        expect(r.residualNorms.at(-1)!).toBeLessThanOrEqual(TOL * norm2(b.data));
        expect(residualNorm(a, r.x, b)).toBeLessThanOrEqual(TOL * norm2(b.data) * (1 + 1e-9));
      }),
      { numRuns: 20 },
    );
  });

  it("SOR with ω = 1 is Gauss–Seidel (same iterates and history)", () => {
    fc.assert(
      fc.property(arbSystem(arbDiagDominant), ([a, b]) => {
        const xs1: Tensor[] = [];
        const xs2: Tensor[] = [];
        const g = gaussSeidel(a, b, { tol: TOL, maxIter: 50, callback: (i) => xs1.push(i.x) });
        const s = sor(a, b, { omega: 1, tol: TOL, maxIter: 50, callback: (i) => xs2.push(i.x) });
        expect(s.iterations).toBe(g.iterations);
        xs1.forEach((x, k) => expectClose(xs2[k]!, x, { rtol: 1e-14, atol: 1e-15 }));
        expectClose(s.residualNorms, g.residualNorms, { rtol: 1e-12, atol: 1e-15 });
      }),
      { numRuns: 20 },
    );
  });

  it("SOR and SSOR converge on SPD systems for ω ∈ (0, 2) (Ostrowski–Reich)", () => {
    fc.assert(
      fc.property(arbSystem(arbSPD), fc.double({ min: 0.3, max: 1.7, noNaN: true }), ([a, b], omega) => {
        for (const r of [
          sor(a, b, { omega, tol: 1e-6, maxIter: 20000 }),
          ssor(a, b, { omega, tol: 1e-6, maxIter: 20000 }),
        ]) {
          expect(r.converged).toBe(true);
          expect(r.residualNorms.at(-1)!).toBeLessThanOrEqual(1e-6 * norm2(b.data));
        }
      }),
      { numRuns: 20 },
    );
  });

  it("over-relaxation pays off on Poisson: optimal ω beats Gauss–Seidel", () => {
    const n = 15;
    const p = poisson2d(n);
    const b = sinRhs(n * n);
    const omegaOpt = 2 / (1 + Math.sin(Math.PI / (n + 1)));
    const gs = gaussSeidel(p, b, { tol: 1e-6, maxIter: 5000 });
    const so = sor(p, b, { omega: omegaOpt, tol: 1e-6, maxIter: 5000 });
    expect(gs.converged && so.converged).toBe(true);
    expect(so.iterations).toBeLessThan(gs.iterations / 2);
  });

  it("the SSOR preconditioner is symmetric and speeds up CG", () => {
    const n = 20;
    const p = poisson2d(n);
    const b = sinRhs(n * n);
    const m = ssorPreconditioner(p, 1.5);
    expect(m.symmetric).toBe(true);
    // ⟨u, M v⟩ = ⟨M u, v⟩.
    const u = sinRhs(n * n);
    const v = tensor(
      Array.from({ length: n * n }, (_, i) => Math.cos(3 * i)),
      [n * n],
    );
    const uMv = u.data.reduce((s, x, i) => s + x * m.matvec(v).data[i]!, 0);
    const Muv = m.matvec(u).data.reduce((s, x, i) => s + x * v.data[i]!, 0);
    expect(close(uMv, Muv, { rtol: 1e-12, atol: 1e-12 })).toBe(true);
    const plain = cg(p, b, { tol: TOL });
    const pre = pcg(p, b, { tol: TOL, M: m });
    expect(pre.converged).toBe(true);
    expect(pre.iterations).toBeLessThan(plain.iterations / 2);
  });

  it("bad input: ω outside (0, 2), zero diagonal", () => {
    expect(() => sor(poisson2d(2), [1, 1, 1, 1], { omega: 2 })).toThrow(/sor: omega must lie in \(0, 2\), got 2/);
    expect(() => sor(poisson2d(2), [1, 1, 1, 1], { omega: 0 })).toThrow(ValueError);
    expect(() => ssor(poisson2d(2), [1, 1, 1, 1], { omega: -0.5 })).toThrow(/ssor: omega/);
    expect(() => ssorPreconditioner(poisson2d(2), 2.5)).toThrow(/ssorPreconditioner: omega/);
    expect(() =>
      gaussSeidel(
        [
          [0, 1],
          [1, 0],
        ],
        [1, 1],
      ),
    ).toThrow(/gaussSeidel: A has a zero diagonal entry at row 0/);
  });
});

describe("ic0", () => {
  it("on a tridiagonal SPD matrix IC(0) is the exact Cholesky factor: PCG converges in one step", () => {
    const n = 30;
    const r: number[] = [];
    const c: number[] = [];
    const v: number[] = [];
    for (let i = 0; i < n; i++) {
      r.push(i);
      c.push(i);
      v.push(2.5 + Math.sin(i));
      if (i > 0) {
        r.push(i, i - 1);
        c.push(i - 1, i);
        v.push(-1, -1);
      }
    }
    const a = CsrMatrix.fromTriplets(r, c, v, [n, n]);
    const res = pcg(a, sinRhs(n), { tol: 1e-10, M: ic0(a) });
    expect(res.converged).toBe(true);
    expect(res.iterations).toBe(1);
  });

  it("the factor of the 100×100 Poisson matrix matches the SciPy-side IC(0) (tooling/reference/linalg-krylov.py)", () => {
    const g = fx.grid100;
    const L = ic0Factor(poisson2d(g.n));
    const d = L.diagonal().data;
    g.ic0DiagIndex.forEach((i, k) => expect(close(d[i]!, g.ic0Diag[k]!, { rtol: 1e-12 })).toBe(true));
    expect(L.nnz).toBe((poisson2d(g.n).nnz + g.n * g.n) / 2);
  });

  it("is symmetric positive definite: ⟨u, M u⟩ > 0 and ⟨u, M v⟩ = ⟨M u, v⟩ on SPD inputs", () => {
    fc.assert(
      fc.property(arbSystem(arbSPD), fc.integer({ min: 0, max: 1000 }), ([a, u], seed) => {
        const n = u.size;
        const v = tensor(
          Array.from({ length: n }, (_, i) => Math.sin(seed + 3 * i)),
          [n],
        );
        const m = ic0(CsrMatrix.fromDense(a));
        const Mu = m.matvec(u).data;
        const Mv = m.matvec(v).data;
        let uMu = 0;
        let uMv = 0;
        let vMu = 0;
        for (let i = 0; i < n; i++) {
          uMu += u.data[i]! * Mu[i]!;
          uMv += u.data[i]! * Mv[i]!;
          vMu += v.data[i]! * Mu[i]!;
        }
        expect(uMu).toBeGreaterThan(0);
        expect(close(uMv, vMu, { rtol: 1e-10, atol: 1e-12 })).toBe(true);
        // Dense SPD: IC(0) has full pattern = exact Cholesky, so PCG converges at once.
        expect(pcg(a, u, { tol: 1e-8, M: m }).iterations).toBeLessThanOrEqual(1);
      }),
      { numRuns: 20 },
    );
  });

  it("bad input: a non-positive pivot (indefinite matrix), a non-symmetric matrix", () => {
    expect(() =>
      ic0([
        [1, 2],
        [2, 1],
      ]),
    ).toThrow(/ic0: pivot -3 ≤ 0 at row 1/);
    expect(() =>
      ic0([
        [1, 2],
        [0, 1],
      ]),
    ).toThrow(/ic0: A must be symmetric/);
  });
});

describe("ilu0", () => {
  it("with a full pattern (dense diagonally dominant A) ILU(0) is the exact LU: GMRES converges in one step", () => {
    fc.assert(
      fc.property(arbSystem(arbDiagDominant), ([a0, b]) => {
        // Exact zeros would be dropped from the sparsity pattern (then ILU(0) ≠ LU): make every entry
        // nonzero; |0.01|·(n−1) stays far below the 0.5 dominance margin.
        const a = tensor(
          a0.data.map((v) => (v === 0 ? 0.01 : v)),
          a0.shape,
        );
        const res = gmres(a, b, { tol: 1e-9, M: ilu0(a) });
        expect(res.converged).toBe(true);
        expect(res.iterations).toBeLessThanOrEqual(1);
      }),
      { numRuns: 20 },
    );
  });

  it("on symmetric Poisson it is the same preconditioner as IC(0) (LU = L̃DL̃ᵀ)", () => {
    const p = poisson2d(8);
    const v = sinRhs(64);
    expectClose(ilu0(p).matvec(v), ic0(p).matvec(v), { rtol: 1e-12, atol: 1e-14 });
  });

  it("speeds up GMRES on a nonsymmetric convection–diffusion matrix", () => {
    // Upwind convection added to the 2-D Laplacian: nonsymmetric, same 5-point pattern.
    const n = 20;
    const base = poisson2d(n);
    const r: number[] = [];
    const c: number[] = [];
    const v: number[] = [];
    for (let i = 0; i < n * n; i++) {
      for (let k = base.indptr[i]!; k < base.indptr[i + 1]!; k++) {
        const j = base.indices[k]!;
        r.push(i);
        c.push(j);
        v.push(base.values[k]! + (j === i ? 1.5 : j === i - 1 ? -1.5 : 0));
      }
    }
    const a = CsrMatrix.fromTriplets(r, c, v, [n * n, n * n]);
    expect(a.isSymmetric()).toBe(false);
    const b = sinRhs(n * n);
    const plain = gmres(a, b, { tol: TOL, restart: 30 });
    const pre = gmres(a, b, { tol: TOL, restart: 30, M: ilu0(a) });
    expect(plain.converged && pre.converged).toBe(true);
    expect(pre.iterations).toBeLessThan(plain.iterations / 2);
  });

  it("bad input: a zero pivot", () => {
    expect(() =>
      ilu0([
        [0, 1],
        [1, 0],
      ]),
    ).toThrow(/ilu0: A has no stored diagonal entry in row 0/);
    expect(() =>
      ilu0([
        [1, 1],
        [1, 1],
      ]),
    ).toThrow(/ilu0: pivot 0 at row 1/);
  });
});

describe("Chebyshev", () => {
  it("the polynomial preconditioner with Poisson's exact spectral bounds cuts CG iterations", () => {
    const n = 20;
    const p = poisson2d(n);
    const b = sinRhs(n * n);
    const m = chebyshevPreconditioner(p.toOperator({ symmetric: true }), { ...poissonBounds(n), degree: 6 });
    expect(m.symmetric).toBe(true);
    const plain = cg(p, b, { tol: TOL });
    const pre = pcg(p, b, { tol: TOL, M: m });
    expect(pre.converged).toBe(true);
    expect(pre.iterations).toBeLessThan(plain.iterations / 2);
  });

  it("degree 1 is the scaled identity 2/(lmin + lmax)", () => {
    const m = chebyshevPreconditioner(poisson2d(2), { lmin: 1, lmax: 3, degree: 1 });
    expectClose(m.matvec([1, 2, 3, 4]), [0.5, 1, 1.5, 2]);
  });

  it("Chebyshev iteration converges on SPD systems given eigenvalue bounds", () => {
    fc.assert(
      fc.property(
        arbSystem((n) => arbSPD(n, 0.5)),
        ([a, b]) => {
          const n = b.size;
          // Gershgorin bounds for the upper end; the lower end from the shift in arbSPD (λmin ≥ 0.5).
          let lmax = 0;
          for (let i = 0; i < n; i++) {
            let s = 0;
            for (let j = 0; j < n; j++) s += Math.abs(a.data[i * n + j]!);
            lmax = Math.max(lmax, s);
          }
          const r = chebyshev(a, b, { lmin: 0.5, lmax: lmax + 0.5, tol: 1e-8, maxIter: 5000 });
          expect(r.converged).toBe(true);
          expect(r.residualNorms.at(-1)!).toBeLessThanOrEqual(1e-8 * norm2(b.data));
          expect(residualNorm(a, r.x, b)).toBeLessThanOrEqual(1e-8 * norm2(b.data) * (1 + 1e-6));
        },
      ),
      { numRuns: 20 },
    );
  });

  it("bad input: bounds must satisfy 0 < lmin < lmax", () => {
    expect(() => chebyshevPreconditioner(poisson2d(2), { lmin: 0, lmax: 1 })).toThrow(/need 0 < lmin < lmax/);
    expect(() => chebyshev(poisson2d(2), [1, 1, 1, 1], { lmin: 2, lmax: 1 })).toThrow(ValueError);
  });
});
