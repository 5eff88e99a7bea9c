// pairwiseSqDist, gibbsKernel, scaleRowsCols: values against naive loops, derivatives by gradCheck
// (central differences) and the adjoint identity, and typed errors on bad input.
import { adjointCheck, arbMatrix, close, expectClose, gradCheck } from "@x/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as X from "../src/index.js";

const dims = fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }));

describe("ot kernels (cpu)", () => {
  it("pairwiseSqDist matches ‖x_i − y_j‖² and its derivatives check out", () =>
    fc.assert(
      fc.property(
        dims.chain(([n, m, d]) => fc.tuple(arbMatrix(n, d), arbMatrix(m, d))),
        ([x, y]) => {
          const D = X.pairwiseSqDist(x, y);
          const [n, d] = x.shape as [number, number];
          const m = y.shape[0]!;
          const ref = new Float64Array(n * m);
          for (let i = 0; i < n; i++)
            for (let j = 0; j < m; j++)
              for (let k = 0; k < d; k++) ref[i * m + j]! += (x.data[i * d + k]! - y.data[j * d + k]!) ** 2;
          expectClose(D, X.tensor(ref, [n, m]), { rtol: 1e-12, atol: 1e-12 }, "pairwiseSqDist");
          const w = X.normal(X.rng(1), [n, m]);
          const fx = (t: X.Tensor) => X.sum(X.mul(X.pairwiseSqDist(t, y), w));
          const fy = (t: X.Tensor) => X.sum(X.mul(X.pairwiseSqDist(x, t), w));
          for (const [f, at] of [
            [fx, x],
            [fy, y],
          ] as const) {
            const r = gradCheck(f, at);
            expect(r.ok, r.details).toBe(true);
          }
          const a = adjointCheck((t) => X.pairwiseSqDist(t, y), x);
          expect(close(a.lhs, a.rhs, { rtol: 1e-9, atol: 1e-9 })).toBe(true);
          const b = adjointCheck((t) => X.pairwiseSqDist(x, t), y);
          expect(close(b.lhs, b.rhs, { rtol: 1e-9, atol: 1e-9 })).toBe(true);
        },
      ),
      { numRuns: 15 },
    ));

  it("gibbsKernel is exp(−C/ε) with derivatives", () =>
    fc.assert(
      fc.property(
        dims.chain(([n, m]) => arbMatrix(n, m, { min: 0, max: 3 })),
        fc.double({ min: 0.2, max: 3, noNaN: true }),
        (c, eps) => {
          expectClose(X.gibbsKernel(c, eps), X.exp(X.div(X.neg(c), eps)), { rtol: 1e-12, atol: 0 }, "gibbs");
          const w = X.normal(X.rng(2), [...c.shape]);
          const r = gradCheck((t) => X.sum(X.mul(X.gibbsKernel(t, eps), w)), c);
          expect(r.ok, r.details).toBe(true);
          const a = adjointCheck((t) => X.gibbsKernel(t, eps), c);
          expect(close(a.lhs, a.rhs, { rtol: 1e-9, atol: 1e-9 })).toBe(true);
        },
      ),
      { numRuns: 15 },
    ));

  it("scaleRowsCols is diag(u)·K·diag(v) with derivatives in K, u and v", () =>
    fc.assert(
      fc.property(
        dims.chain(([n, m]) => fc.tuple(arbMatrix(n, m), arbMatrix(1, n), arbMatrix(1, m))),
        ([k, u2, v2]) => {
          const u = X.reshape(u2, [u2.size]);
          const v = X.reshape(v2, [v2.size]);
          const ref = X.matmul(X.matmul(X.diag(u), k), X.diag(v));
          expectClose(X.scaleRowsCols(k, u, v), ref, { rtol: 1e-12, atol: 1e-12 }, "scale");
          const w = X.normal(X.rng(3), [...k.shape]);
          const loss = (kk: X.Tensor, uu: X.Tensor, vv: X.Tensor) => X.sum(X.mul(X.scaleRowsCols(kk, uu, vv), w));
          for (const [f, at] of [
            [(t: X.Tensor) => loss(t, u, v), k],
            [(t: X.Tensor) => loss(k, t, v), u],
            [(t: X.Tensor) => loss(k, u, t), v],
          ] as const) {
            const r = gradCheck(f, at);
            expect(r.ok, r.details).toBe(true);
          }
          const a = adjointCheck((t) => X.scaleRowsCols(k, t, v), u);
          expect(close(a.lhs, a.rhs, { rtol: 1e-9, atol: 1e-9 })).toBe(true);
        },
      ),
      { numRuns: 15 },
    ));

  it("second derivatives nest (HVP of a Sinkhorn-like loss against finite differences)", () => {
    const x = X.tensor([
      [0.1, 0.5],
      [1.2, -0.3],
      [0.7, 0.9],
    ]);
    const y = X.tensor([
      [0.0, 0.2],
      [1.0, 1.0],
    ]);
    const f = (t: X.Tensor) => X.sum(X.scaleRowsCols(X.gibbsKernel(X.pairwiseSqDist(t, y), 0.7), [1, 2, 3], [0.5, 1]));
    const v = X.normal(X.rng(4), [3, 2]);
    const hv = X.hvp(f, x, v) as X.Tensor;
    const g = (t: X.Tensor) => X.grad(f)(t) as X.Tensor;
    const h = 1e-5;
    const fd = X.div(X.sub(g(X.add(x, X.mul(v, h))), g(X.sub(x, X.mul(v, h)))), 2 * h);
    expectClose(hv, fd, { rtol: 1e-6, atol: 1e-7 }, "hvp");
  });

  it("rejects bad input with typed errors", () => {
    expect(() => X.pairwiseSqDist([[1, 2]], [[1, 2, 3]])).toThrow(X.ShapeError);
    expect(() => X.pairwiseSqDist([1, 2], [[1, 2]])).toThrow(/expected x \[n, d\]/);
    expect(() => X.gibbsKernel([[1]], 0)).toThrow(X.ValueError);
    expect(() => X.gibbsKernel([[1]], Number.NaN)).toThrow(/eps must be/);
    expect(() => X.scaleRowsCols([[1, 2]], [1, 2], [1, 2])).toThrow(X.ShapeError);
  });
});
