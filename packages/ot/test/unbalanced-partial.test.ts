import * as X from "@x/tensor";
import { arbCostMatrix, arbSimplex, expectClose } from "@x/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  emd,
  entropicPartialWasserstein,
  partialWasserstein,
  partialWasserstein2,
  sinkhorn,
  sinkhornUnbalanced,
  sinkhornUnbalanced2,
} from "../src/index.js";
import { ref } from "./fixtures.js";

describe("unbalanced Sinkhorn", () => {
  ref.unbalanced.forEach((c: any, k: number) => {
    it(`matches POT sinkhorn_unbalanced, case ${k}`, () => {
      const r = sinkhornUnbalanced(c.a, c.b, c.M, c.reg, c.regM, { tol: 1e-14, maxIter: 100000 });
      expect(r.converged).toBe(true);
      expectClose(r.plan, c.plan, { rtol: 1e-7, atol: 1e-12 });
      expectClose(sinkhornUnbalanced2(c.a, c.b, c.M, c.reg, c.regM, { tol: 1e-14, maxIter: 100000 }).item(), c.value, {
        rtol: 1e-7,
      });
    });
  });

  it("approaches balanced Sinkhorn as regM grows (equal masses)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), (seed) => {
        const [k1, k2, k3] = X.split(X.rng(seed), 3) as [X.Key, X.Key, X.Key];
        const a = X.softmax(X.normal(k1, [4]));
        const b = X.softmax(X.normal(k2, [3]));
        const M = X.uniform(k3, [4, 3]);
        const o = { tol: 1e-11, maxIter: 20000 };
        const bal = sinkhorn(a, b, M, 1, { method: "log", tol: 1e-12, maxIter: 20000 }).cost;
        const e1 = Math.abs(sinkhornUnbalanced(a, b, M, 1, 1, o).cost - bal);
        const r2 = sinkhornUnbalanced(a, b, M, 1, 100, o);
        expect(r2.converged).toBe(true);
        const e2 = Math.abs(r2.cost - bal);
        expect(e2).toBeLessThanOrEqual(e1 + 1e-9);
        expect(e2).toBeLessThan(0.05);
      }),
      { numRuns: 10 },
    );
  });

  it("rejects regM ≤ 0 and negative masses", () => {
    expect(() => sinkhornUnbalanced([1], [1], [[0]], 0.1, 0)).toThrow(/regM must be a finite number > 0/);
    expect(() => sinkhornUnbalanced([-1], [1], [[0]], 0.1, 1)).toThrow(/a must be non-negative/);
  });
});

describe("partial OT", () => {
  ref.partial.forEach((c: any, k: number) => {
    it(`exact and entropic match POT, case ${k}`, () => {
      expectClose(partialWasserstein2(c.a, c.b, c.M, c.m).item(), c.cost, { rtol: 1e-10, atol: 1e-14 });
      const M = X.tensor(c.M);
      const r = entropicPartialWasserstein(c.a, c.b, X.div(M, X.max(M)), 0.1, c.m, { tol: 1e-14, maxIter: 10000 });
      expectClose(r.plan, c.entropic, { rtol: 1e-6, atol: 1e-12 });
    });
  });

  it("plans move mass m within the marginals; m = full mass gives EMD (property)", () => {
    fc.assert(
      fc.property(
        arbSimplex(5),
        arbSimplex(4),
        arbCostMatrix(5, 4),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        (a, b, M, m) => {
          const r = partialWasserstein(a, b, M, m);
          const rows = X.sum(r.plan, { axis: 1 }).data;
          const cols = X.sum(r.plan, { axis: 0 }).data;
          expect(Math.abs(X.sum(r.plan).item() - m)).toBeLessThan(1e-9);
          rows.forEach((s, i) => expect(s).toBeLessThanOrEqual(a.data[i]! + 1e-12));
          cols.forEach((s, j) => expect(s).toBeLessThanOrEqual(b.data[j]! + 1e-12));
          expect(r.cost).toBeLessThanOrEqual(emd(a, b, M).cost + 1e-12);
          const full = partialWasserstein(a, b, M, 1);
          expect(Math.abs(full.cost - emd(a, b, M).cost)).toBeLessThan(1e-10);
          const e = entropicPartialWasserstein(a, b, M, 0.5, m, { tol: 1e-12, maxIter: 20000 });
          expect(Math.abs(X.sum(e.plan).item() - m)).toBeLessThan(1e-9);
          X.sum(e.plan, { axis: 1 }).data.forEach((s, i) => expect(s).toBeLessThanOrEqual(a.data[i]! + 1e-6));
        },
      ),
      { numRuns: 30 },
    );
  });

  it("rejects m larger than the smaller mass", () => {
    expect(() => partialWasserstein([0.5, 0.5], [1], [[0], [1]], 2)).toThrow(
      /m must be in \[0, min\(sum\(a\), sum\(b\)\)\]/,
    );
  });
});
