import { arbMatrix, expectClose } from "@x/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as X from "../src/index.js";

describe("LinearOperator", () => {
  it("dense, transpose, sum, composition and scaling agree with dense algebra", () => {
    fc.assert(
      fc.property(arbMatrix(3, 4), arbMatrix(4, 2), arbMatrix(3, 4), (a, b, c) => {
        const A = X.LinearOperator.fromDense(a);
        const B = X.LinearOperator.fromDense(b);
        const C = X.LinearOperator.fromDense(c);
        expectClose(A.compose(B).toDense(), X.matmul(a, b), { rtol: 1e-12, atol: 1e-12 });
        expectClose(A.transpose().toDense(), X.transpose(a));
        expectClose(A.add(C).scale(2).toDense(), X.mul(X.add(a, c), 2), { rtol: 1e-12, atol: 1e-12 });
        const f = X.LinearOperator.fromFunction([3, 4], (v) => X.matmul(a, v), {
          rmatvec: (v) => X.matmul(v, a),
        });
        expectClose(f.toDense(), a);
        // ⟨u, A v⟩ = ⟨Aᵀ u, v⟩
        const u = X.normal(X.rng(1), [3]);
        const v = X.normal(X.rng(2), [4]);
        expectClose(X.dot(u, f.matvec(v)), X.dot(f.rmatvec(u), v), { rtol: 1e-12, atol: 1e-12 });
      }),
      { numRuns: 20 },
    );
  });
  it("identity, diagonal and the diag() fallback", () => {
    expectClose(X.LinearOperator.identity(3).toDense(), X.eye(3));
    const d = X.LinearOperator.diagonal([1, 2, 3]);
    expectClose(d.matvec([1, 1, 1]), [1, 2, 3]);
    const f = X.LinearOperator.fromFunction([3, 3], (v) => X.mul(v, X.tensor([4, 5, 6])));
    expectClose(f.diag(), [4, 5, 6]);
  });
  it("differentiable through matvec", () => {
    const a = X.tensor([
      [2, 1],
      [1, 3],
    ]);
    const g = X.grad((x: X.Tensor) => X.dot(x, X.LinearOperator.fromDense(a, { symmetric: true }).matvec(x)))(
      X.tensor([1, 2]),
    ) as X.Tensor;
    expectClose(g, X.mul(X.matmul(a, [1, 2]), 2));
  });
  it("rejects wrong shapes and missing rmatvec", () => {
    const f = X.LinearOperator.fromFunction([3, 3], (v) => v);
    expect(() => f.matvec([1, 2])).toThrow(/expected a vector of length 3/);
    expect(() => f.rmatvec([1, 2, 3])).toThrow(X.ValueError);
    expect(() => X.LinearOperator.fromDense([1, 2])).toThrow(X.ShapeError);
    expect(() => f.compose(X.LinearOperator.identity(2))).toThrow(X.ShapeError);
  });
});
