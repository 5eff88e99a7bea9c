import { eigh, eigvalsh } from "@x/linalg";
import * as X from "@x/tensor";
import { arbMatrix, arbSPD, arbValues, expectClose } from "@x/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  finiteDifferenceHessianOperator,
  fisherOperator,
  ggnOperator,
  gradientHessianOverlap,
  hessianOperator,
  jacobianOperator,
  spectralDensity,
  stabilityReport,
  topEigenvalues,
  traceEstimate,
} from "../src/index.js";
import { quadratic } from "./problems.js";

// A smooth non-quadratic test function: Σ softplus(Wx) + ¼Σx⁴.
const smooth = (W: X.Tensor) => (x: X.Tensor) =>
  X.add(X.sum(X.softplus(X.matmul(W, x))), X.mul(0.25, X.sum(X.pow(x, 4))));

describe("curvature operators", () => {
  it("hessianOperator equals the dense Hessian; the finite-difference one is close", () => {
    fc.assert(
      fc.property(arbMatrix(3, 4, { min: -1, max: 1 }), arbValues(4, { min: -1, max: 1 }), (W, xv) => {
        const f = smooth(W);
        const x = X.tensor(xv);
        const H = X.hessian(f)(x);
        expectClose(hessianOperator(f, x).toDense(), H, { rtol: 1e-10, atol: 1e-10 });
        expectClose(finiteDifferenceHessianOperator(f, x).toDense(), H, { rtol: 1e-5, atol: 1e-5 });
      }),
      { numRuns: 20 },
    );
  });

  it("hessianOperator over a pytree matches the flattened dense Hessian", () => {
    const f = (p: { a: X.Tensor; b: X.Tensor }) => X.sum(X.mul(X.square(p.a), X.sum(X.exp(p.b))));
    const p = { a: X.tensor([0.5, -1]), b: X.tensor([0.2]) };
    const flat = (t: X.Tensor) => f({ a: X.slice(t, [[0, 2]]), b: X.slice(t, [[2, 3]]) });
    expectClose(hessianOperator(f, p).toDense(), X.hessian(flat)(X.tensor([0.5, -1, 0.2])), { rtol: 1e-12 });
  });

  it("jacobianOperator: matvec = J v, rmatvec = Jᵀu (adjoint identity)", () => {
    fc.assert(
      fc.property(arbMatrix(3, 4), arbValues(4), arbValues(4), arbValues(3), (W, xv, v, u) => {
        const f = (x: X.Tensor) => X.tanh(X.matmul(W, x));
        const J = jacobianOperator(f, X.tensor(xv));
        const dense = X.jacobian(f)(X.tensor(xv));
        expectClose(J.toDense(), dense, { rtol: 1e-12, atol: 1e-12 });
        const lhs = X.dot(X.tensor(u), J.matvec(X.tensor(v))).item();
        const rhs = X.dot(J.rmatvec(X.tensor(u)), X.tensor(v)).item();
        expect(lhs).toBeCloseTo(rhs, 10);
      }),
      { numRuns: 20 },
    );
  });

  it("ggnOperator = Jᵀ H_L J (dense check) and is PSD for a convex loss", () => {
    fc.assert(
      fc.property(arbMatrix(3, 4, { min: -1, max: 1 }), arbValues(4, { min: -1, max: 1 }), (W, pv) => {
        const model = (p: X.Tensor) => X.tanh(X.matmul(W, p));
        const y = X.tensor([0.1, -0.2, 0.3]);
        const loss = (o: X.Tensor) => X.sub(X.logsumexp(o), X.dot(y, o));
        const p = X.tensor(pv);
        const J = X.jacobian(model)(p);
        const HL = X.hessian(loss)(model(p));
        const G = ggnOperator(model, loss, p).toDense();
        expectClose(G, X.matmul(X.matmul(X.mT(J), HL), J), { rtol: 1e-10, atol: 1e-12 });
        expect(Math.min(...eigvalsh(G).data)).toBeGreaterThan(-1e-10);
      }),
      { numRuns: 20 },
    );
  });

  it("fisherOperator = (1/N) JᵀJ of the per-example losses", () => {
    fc.assert(
      fc.property(arbMatrix(5, 3), arbValues(3, { min: -1, max: 1 }), (Z, pv) => {
        const perExample = (w: X.Tensor) => X.softplus(X.matmul(Z, w));
        const w = X.tensor(pv);
        const J = X.jacobian(perExample)(w);
        expectClose(fisherOperator(perExample, w).toDense(), X.div(X.matmul(X.mT(J), J), 5), {
          rtol: 1e-10,
          atol: 1e-12,
        });
      }),
      { numRuns: 20 },
    );
  });
});

describe("curvature diagnostics", () => {
  it("Lanczos top eigenvalues of the Hessian equal eigh's", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 6 }).chain((n) => arbSPD(n)),
        (A) => {
          const n = A.shape[0]!;
          const H = hessianOperator(quadratic(A, X.zeros([n])), X.zeros([n]));
          const exact = Array.from(eigvalsh(A).data).sort((a, b) => b - a);
          // k = 1: a single Krylov sequence cannot see a second copy of a repeated eigenvalue.
          const top = topEigenvalues(H, 1, { seed: 3 });
          expect(top.values[0]).toBeCloseTo(exact[0]!, 7);
        },
      ),
      { numRuns: 30 },
    );
  });

  it("Hutchinson's trace estimate is unbiased: within 6 standard errors (seeded)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 8 }).chain((n) => arbSPD(n)),
        fc.integer({ min: 0, max: 1000 }),
        (A, seed) => {
          const n = A.shape[0]!;
          const H = hessianOperator(quadratic(A, X.zeros([n])), X.zeros([n]));
          let tr = 0;
          for (let i = 0; i < n; i++) tr += A.data[i * n + i]!;
          const est = traceEstimate(H, { numSamples: 200, seed });
          expect(Math.abs(est.estimate - tr)).toBeLessThanOrEqual(6 * est.stderr! + 1e-9 * (1 + Math.abs(tr)));
          // Hutch++ is exact once its sketch covers the whole space (3k matvecs with k ≥ n).
          const pp = traceEstimate(H, { method: "hutch++", numSamples: 3 * n, seed });
          expect(pp.estimate).toBeCloseTo(tr, 8);
        },
      ),
      { numRuns: 30 },
    );
  });

  it("GD on a quadratic diverges iff η > 2/λ_max (stabilityReport predicts it)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 5 }).chain((n) => arbSPD(n)),
        fc.double({ min: 0.3, max: 1.7, noNaN: true }),
        (A, ratio) => {
          fc.pre(Math.abs(ratio - 1) > 0.1);
          const n = A.shape[0]!;
          const f = quadratic(A, X.zeros([n]));
          const lmax = Math.max(...eigvalsh(A).data);
          const eta = (2 * ratio) / lmax;
          const rep = stabilityReport(f, X.zeros([n]), { learningRate: eta });
          expect(rep.lambdaMax).toBeCloseTo(lmax, 7);
          expect(rep.gdStable).toBe(ratio < 1);
          // Run plain GD x ← x − ηAx from x0 = ones + top eigenvector (so the unstable mode is excited).
          const v = eigh(A).vectors;
          const vtop = X.reshape(X.slice(v, [null, [n - 1, n]]), [n]);
          let x = X.add(X.ones([n]), vtop);
          const e0 = X.norm(x).item();
          for (let k = 0; k < 200; k++) x = X.sub(x, X.mul(eta, X.matmul(A, x)));
          const e = X.norm(x).item();
          if (ratio < 1) expect(e).toBeLessThanOrEqual(e0 * (1 + 1e-9));
          else expect(e).toBeGreaterThan(10 * e0);
        },
      ),
      { numRuns: 30 },
    );
  });

  it("Lanczos top-k on a diagonal Hessian with distinct eigenvalues", () => {
    const A = X.diag(X.tensor([10, 5, 1, 0.5, 0.1]));
    const top = topEigenvalues(hessianOperator(quadratic(A, X.zeros([5])), X.zeros([5])), 3, { seed: 1 });
    expect(top.values[0]).toBeCloseTo(10, 8);
    expect(top.values[1]).toBeCloseTo(5, 8);
    expect(top.values[2]).toBeCloseTo(1, 8);
    // Power iteration converges at rate λ₂/λ₁ = ½ here.
    const H = hessianOperator(quadratic(A, X.zeros([5])), X.zeros([5]));
    const pw = topEigenvalues(H, 1, { method: "power", seed: 1, tol: 1e-10 });
    expect(pw.values[0]).toBeCloseTo(10, 8);
  });

  it("spectral density integrates to 1 and the gradient of a quadratic at a top eigenvector lies in the top subspace", () => {
    const A = X.diag(X.tensor([10, 5, 1, 0.5, 0.1]));
    const H = hessianOperator(quadratic(A, X.zeros([5])), X.zeros([5]));
    const d = spectralDensity(H, { numProbes: 4, lanczosSteps: 5, seed: 1 });
    let total = 0;
    for (let i = 1; i < d.grid.length; i++) total += d.density[i]! * (d.grid[i]! - d.grid[i - 1]!);
    expect(total).toBeCloseTo(1, 2);
    expect(d.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    // ∇f(x) = Ax; at x = e₀ + e₁ it lies in the top-2 eigenspace exactly, and has zero top-1 overlap deficit only partly.
    const ov2 = gradientHessianOverlap(quadratic(A, X.zeros([5])), X.tensor([1, 1, 0, 0, 0]), 2, { seed: 2 });
    expect(ov2.overlap).toBeCloseTo(1, 8);
    const ov1 = gradientHessianOverlap(quadratic(A, X.zeros([5])), X.tensor([1, 1, 0, 0, 0]), 1, { seed: 2 });
    expect(ov1.overlap).toBeCloseTo(100 / 125, 8);
  });

  it("rejects bad arguments", () => {
    const f = quadratic(X.eye(2), X.zeros([2]));
    expect(() => stabilityReport(f, X.zeros([2]), { learningRate: 0 })).toThrow(/learningRate must be > 0/);
    expect(() => topEigenvalues(hessianOperator(f, X.zeros([2])), 2, { method: "power" })).toThrow(/power iteration/);
    expect(() => fisherOperator((w: X.Tensor) => X.sum(w), X.zeros([2]))).toThrow(/must return a vector/);
    expect(() => hessianOperator(f, X.tensor([Number.NaN, 1]))).toThrow(/must be finite/);
  });
});
