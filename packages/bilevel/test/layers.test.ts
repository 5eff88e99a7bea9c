import { eigvalsh } from "@x/linalg";
import * as X from "@x/tensor";
import { arbMatrix, arbSPD, expectClose, gradCheck } from "@x/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { anderson, deqLayer, projectL2Ball, projectSimplex, qpLayer, softThreshold } from "../src/index.js";

const vec = (n: number, min = -3, max = 3) =>
  fc.array(fc.double({ min, max, noNaN: true }), { minLength: n, maxLength: n }).map((a) => X.tensor(a));

describe("prox operators", () => {
  it("soft-threshold: prox optimality and gradient = finite differences away from kinks", () => {
    fc.assert(
      fc.property(vec(5), fc.double({ min: 0.05, max: 1, noNaN: true }), (x, tau) => {
        const y = softThreshold(x, tau);
        // Optimality: x − y ∈ τ∂‖y‖₁.
        for (let i = 0; i < 5; i++) {
          const d = x.data[i]! - y.data[i]!;
          if (y.data[i] !== 0) expect(Math.abs(d - tau * Math.sign(y.data[i]!))).toBeLessThan(1e-12);
          else expect(Math.abs(d)).toBeLessThanOrEqual(tau + 1e-12);
        }
        fc.pre(x.data.every((v) => Math.abs(Math.abs(v) - tau) > 1e-3));
        const c = X.tensor([1, -2, 0.5, 3, -1]);
        const gc = gradCheck((z) => X.sum(X.mul(c, softThreshold(z, tau))), x, { eps: 1e-7 });
        expect(gc.ok, gc.details).toBe(true);
      }),
      { numRuns: 30 },
    );
  });

  it("simplex projection: feasible, idempotent, optimal (variational inequality), gradient = FD", () => {
    fc.assert(
      fc.property(vec(6), (x) => {
        const p = projectSimplex(x);
        expect(p.data.every((v) => v >= 0)).toBe(true);
        expect(Math.abs(X.sum(p).item() - 1)).toBeLessThan(1e-12);
        expectClose(projectSimplex(p), p, { rtol: 1e-12, atol: 1e-12 });
        // ⟨x − p, q − p⟩ ≤ 0 for the vertices q of the simplex.
        for (let i = 0; i < 6; i++) {
          const q = new Float64Array(6);
          q[i] = 1;
          expect(X.sum(X.mul(X.sub(x, p), X.sub(X.tensor(q), p))).item()).toBeLessThanOrEqual(1e-10);
        }
        // Away from support changes, the derivative is the FD one.
        const tau = (X.sum(X.mul(X.greater(p, 0), x)).item() - 1) / X.sum(X.greater(p, 0)).item();
        fc.pre(x.data.every((v) => Math.abs(v - tau) > 1e-3));
        const c = X.tensor([1, -2, 0.5, 3, -1, 0.2]);
        const gc = gradCheck((z) => X.sum(X.mul(c, projectSimplex(z))), x, { eps: 1e-7 });
        expect(gc.ok, gc.details).toBe(true);
      }),
      { numRuns: 30 },
    );
  });

  it("ball projection: ‖p‖ ≤ r, identity inside, gradient = FD", () => {
    fc.assert(
      fc.property(vec(4), fc.double({ min: 0.5, max: 3, noNaN: true }), (x, r) => {
        const p = projectL2Ball(x, r);
        expect(X.norm(p).item()).toBeLessThanOrEqual(r * (1 + 1e-12));
        if (X.norm(x).item() <= r) expectClose(p, x, { rtol: 1e-14 });
        fc.pre(Math.abs(X.norm(x).item() - r) > 1e-3);
        const gc = gradCheck((z) => X.sum(X.mul(X.tensor([1, 2, -1, 0.5]), projectL2Ball(z, r))), x, { eps: 1e-7 });
        expect(gc.ok, gc.details).toBe(true);
      }),
      { numRuns: 30 },
    );
  });

  it("bad input", () => {
    expect(() => softThreshold([1, 2], -1)).toThrow(/tau/);
    expect(() => projectSimplex([[1, 2]])).toThrow(X.ShapeError);
    expect(() => projectSimplex([1, 2], 0)).toThrow(/s must/);
    expect(() => projectL2Ball([1, 2], -1)).toThrow(/radius/);
  });
});

describe("QP layer (KKT implicit differentiation)", () => {
  // min ½zᵀQz + qᵀz  s.t. Σz = 1, z ≥ 0, z₀ − z₁ ≤ 0.1 — random SPD Q and linear term.
  const G = X.tensor([
    [-1, 0, 0],
    [0, -1, 0],
    [0, 0, -1],
    [1, -1, 0],
  ]);
  const A = X.tensor([[1, 1, 1]]);
  it("KKT conditions hold; gradients w.r.t. q, h, b, Q = finite differences", () => {
    fc.assert(
      fc.property(arbSPD(3, 0.5), arbMatrix(1, 3), (Q, qm) => {
        const q = X.reshape(qm, [3]);
        const h = X.tensor([0, 0, 0, 0.1]);
        const b = X.tensor([1]);
        const layer = qpLayer();
        const z = layer({ Q, q, A, b, G, h });
        expect(layer.lastSolve?.converged).toBe(true);
        expect(Math.abs(X.sum(z).item() - 1)).toBeLessThan(1e-9);
        expect(X.max(X.sub(X.matmul(G, z), h)).item()).toBeLessThan(1e-9);
        // Strict complementarity is needed for differentiability: skip (rare) degenerate draws.
        const mu = layer.lastMultipliers!.ineq.data;
        const slack = X.sub(h, X.matmul(G, z)).data;
        fc.pre(Array.from(mu).every((m, i) => m + slack[i]! > 1e-4));
        const c = X.tensor([1, -2, 0.5]);
        const loss = (p: Partial<Record<"Q" | "q" | "h" | "b", X.Tensor>>) =>
          X.sum(X.mul(c, layer({ Q: p.Q ?? Q, q: p.q ?? q, A, b: p.b ?? b, G, h: p.h ?? h })));
        for (const [name, x, f] of [
          ["q", q, (t: X.Tensor) => loss({ q: t })],
          ["h", h, (t: X.Tensor) => loss({ h: t })],
          ["b", b, (t: X.Tensor) => loss({ b: t })],
          ["Q", Q, (t: X.Tensor) => loss({ Q: t })],
        ] as const) {
          X.grad(f)(x);
          expect(layer.lastLinearSolve?.converged, name).toBe(true);
          const gc = gradCheck(f, x, { eps: 1e-6, rtol: 1e-4, atol: 1e-6 });
          expect(gc.ok, `${name}: ${gc.details}`).toBe(true);
        }
      }),
      { numRuns: 5 },
    );
  });

  it("unconstrained QP gives −Q⁻¹q; bad shapes are ShapeErrors", () => {
    const Q = X.tensor([
      [2, 0],
      [0, 4],
    ]);
    const layer = qpLayer();
    expectClose(layer({ Q, q: [2, -4] }), [-1, 1], { rtol: 1e-9, atol: 1e-10 });
    expect(() => layer({ Q, q: [1, 2, 3] })).toThrow(X.ShapeError);
    expect(() => layer({ Q, q: [1, 2], A: [[1, 1]] })).toThrow(/both A and b/);
  });
});

describe("Anderson acceleration and the DEQ layer", () => {
  const n = 5;
  // ‖W‖₂ = 0.8, so T is a contraction for every u (tanh' ≤ 1).
  const W0 = X.normal(X.rng(11), [n, n]);
  const W = X.mul(0.8 / Math.sqrt(X.max(eigvalsh(X.matmul(X.transpose(W0), W0))).item()), W0);
  const T = (z: X.Tensor, th: { W: X.Tensor; u: X.Tensor }) => X.tanh(X.add(X.matmul(th.W, z), th.u));
  it("Anderson needs fewer iterations than plain iteration on a contraction, same fixed point", () => {
    const u = X.tensor([0.5, -1, 0.3, 2, -0.4]);
    const f = (z: Float64Array) => Float64Array.from(T(X.tensor(z), { W, u }).data);
    const plain = anderson(f, new Float64Array(n), { memory: 0, maxIter: 2000 });
    const acc = anderson(f, new Float64Array(n), { memory: 5 });
    expect(plain.converged && acc.converged).toBe(true);
    expect(acc.iterations).toBeLessThan(plain.iterations);
    expectClose(acc.x, plain.x, { rtol: 1e-9, atol: 1e-11 });
  });

  it("DEQ gradients (implicit) = finite differences; contractivity check reports ‖J‖ < 1", () => {
    fc.assert(
      fc.property(vec(n, -2, 2), (u) => {
        const layer = deqLayer(T, { memory: 5 });
        const c = X.tensor([1, -1, 2, 0.5, -0.3]);
        const loss = (uu: X.Tensor) => X.sum(X.mul(c, layer(X.zeros([n]), { W, u: uu })));
        const gc = gradCheck(loss, u, { eps: 1e-6, rtol: 1e-6, atol: 1e-8 });
        expect(gc.ok, gc.details).toBe(true);
        expect(layer.lastContractivity!.contractive).toBe(true);
        expect(layer.lastAnderson!.converged).toBe(true);
        // ‖J‖ ≤ ‖W‖₂ (tanh' ≤ 1): the estimate is a lower bound of ‖J‖ by power iteration.
        const Wn = Math.sqrt(X.max(eigvalsh(X.matmul(X.transpose(W), W))).item());
        expect(layer.lastContractivity!.lipschitz).toBeLessThanOrEqual(Wn * (1 + 1e-9));
      }),
      { numRuns: 5 },
    );
  });

  it("a non-contractive map is flagged", () => {
    const big = X.mul(3, X.eye(3));
    const layer = deqLayer((z: X.Tensor, t: X.Tensor) => X.add(X.mul(0.5, X.tanh(X.matmul(big, z))), t), {
      maxIter: 200,
    });
    layer(X.zeros([3]), X.tensor([0.01, 0, -0.01]));
    expect(layer.lastContractivity!.lipschitz).toBeGreaterThan(1);
    expect(layer.lastContractivity!.contractive).toBe(false);
  });
});
