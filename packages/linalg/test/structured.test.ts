import { add, eye, LinearOperator, matmul, mT, mul, ShapeError, sum, type Tensor, tensor, ValueError } from "@x/tensor";
import { arbMatrix, arbSPD, close, expectClose, gradCheck } from "@x/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { solve } from "../src/dense/solve.js";
import {
  blockDiagOperator,
  KroneckerOperator,
  kron,
  kronSolve,
  nearestKronecker,
  shermanMorrison,
  woodburySolve,
} from "../src/structured/index.js";
import fx from "./fixtures/linalg-matfun.json";

const RUNS = { numRuns: 20 };
const fro = (t: Tensor) => Math.sqrt(t.data.reduce((s, v) => s + v * v, 0));
const spdA = tensor([
  [2, 0.5],
  [0.5, 1],
]);
const dim = fc.integer({ min: 1, max: 4 });
const arbVec = (n: number) => arbMatrix(1, n).map((m) => tensor(m.data, [n]));

describe("kron and KroneckerOperator", () => {
  it("matches numpy.kron", () => {
    expectClose(kron(fx.kron.a, fx.kron.b), fx.kron.kron, { rtol: 1e-15, atol: 0 });
  });

  it("mixed-product property (A ⊗ B)(C ⊗ D) = AC ⊗ BD", () => {
    fc.assert(
      fc.property(
        fc
          .tuple(dim, dim, dim, dim, dim, dim)
          .chain(([m, n, p, q, r, s]) => fc.tuple(arbMatrix(m, n), arbMatrix(p, q), arbMatrix(n, r), arbMatrix(q, s))),
        ([a, b, c, d]) => {
          expectClose(matmul(kron(a, b), kron(c, d)), kron(matmul(a, c), matmul(b, d)), { rtol: 1e-12, atol: 1e-12 });
        },
      ),
      RUNS,
    );
  });

  it("operator matvec/rmatvec equal kron(a, b)·x and kron(a, b)ᵀ·y without forming the product", () => {
    fc.assert(
      fc.property(
        fc
          .tuple(dim, dim, dim, dim)
          .chain(([m, n, p, q]) => fc.tuple(arbMatrix(m, n), arbMatrix(p, q), arbVec(n * q), arbVec(m * p))),
        ([a, b, x, y]) => {
          const op = new KroneckerOperator(a, b);
          const k = kron(a, b);
          expect(op.shape).toEqual(k.shape);
          expectClose(op.matvec(x), matmul(k, x), { rtol: 1e-12, atol: 1e-12 });
          expectClose(op.rmatvec(y), matmul(mT(k), y), { rtol: 1e-12, atol: 1e-12 });
          expectClose(op.toDense(), k);
          if (a.shape[0] === a.shape[1] && b.shape[0] === b.shape[1]) {
            expectClose(op.diag(), tensor(Array.from({ length: k.shape[0]! }, (_, i) => k.data[i * k.shape[1]! + i]!)));
          }
        },
      ),
      RUNS,
    );
  });

  it("is differentiable through the vec trick", () => {
    const b = tensor([
      [1, 2],
      [0.5, -1],
    ]);
    const x = tensor([1, -2, 0.5, 3, 1, 2]);
    const r = gradCheck(
      (a: Tensor) => sum(mul(new KroneckerOperator(a, b).matvec(x), tensor([1, -1, 2, 0.5]))),
      tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]),
    );
    expect(r.ok).toBe(true);
    const r2 = gradCheck(
      (b2: Tensor) => sum(kronSolve(spdA, matmul(b2, mT(b2)), [1, 2, 3, 4])),
      tensor([
        [2, 0.3],
        [0.1, 1],
      ]),
    );
    expect(r2.ok).toBe(true);
  });

  it("rejects non-matrix input", () => {
    expect(() => kron([1, 2], [[1]])).toThrow(ShapeError);
    expect(() => new KroneckerOperator([[1]], [1, 2])).toThrow(/KroneckerOperator: b must be a matrix/);
  });
});

describe("nearestKronecker", () => {
  it("recovers an exact Kronecker product (up to scale) and its residual is optimal", () => {
    fc.assert(
      fc.property(
        fc
          .tuple(dim, dim, dim, dim)
          .chain(([m, n, p, q]) =>
            fc.tuple(arbMatrix(m, n), arbMatrix(p, q), arbMatrix(m * p, n * q, { min: -0.1, max: 0.1 })),
          ),
        ([b, c, noise]) => {
          const a = kron(b, c);
          const r = nearestKronecker(a, b.shape as [number, number], c.shape as [number, number]);
          expectClose(kron(r.b, r.c), a, { rtol: 1e-10, atol: 1e-12 });
          expect(r.residual).toBeLessThan(1e-10 * (1 + fro(a)));
          // With noise: the residual is exact and no worse than the unperturbed factors.
          const an = add(a, noise);
          const rn = nearestKronecker(an, b.shape as [number, number], c.shape as [number, number]);
          expect(Math.abs(fro(add(an, mul(-1, kron(rn.b, rn.c)))) - rn.residual)).toBeLessThan(1e-9);
          expect(rn.residual).toBeLessThanOrEqual(fro(noise) + 1e-12);
        },
      ),
      RUNS,
    );
  });

  it("rejects shapes that do not tile a", () => {
    expect(() => nearestKronecker(eye(4), [2, 2], [3, 2])).toThrow(ShapeError);
  });
});

describe("kronSolve", () => {
  it("residual of (A ⊗ B + σI) x = c is small for SPD A, B", () => {
    fc.assert(
      fc.property(
        fc.tuple(dim, dim).chain(([n, p]) => fc.tuple(arbSPD(n), arbSPD(p), arbVec(n * p), fc.constantFrom(0, 0.3))),
        ([a, b, c, shift]) => {
          const x = kronSolve(a, b, c, { shift });
          const k = add(kron(a, b), mul(shift, eye(c.size)));
          expectClose(matmul(k, x), c, { rtol: 1e-9, atol: 1e-10 });
          // Several right-hand sides at once.
          const C = tensor(Array.from({ length: c.size }, (_, i) => [c.data[i]!, 2 * c.data[i]! - 1]));
          expectClose(matmul(k, kronSolve(a, b, C, { shift })), C, { rtol: 1e-9, atol: 1e-10 });
        },
      ),
      RUNS,
    );
  });

  it("matches numpy.linalg.solve(kron(a, b), c)", () => {
    expectClose(kronSolve(fx.kronSolve.a, fx.kronSolve.b, fx.kronSolve.c), fx.kronSolve.x, {
      rtol: 1e-11,
      atol: 1e-12,
    });
  });

  it("rejects non-square factors, a wrong right-hand side and a singular product", () => {
    expect(() => kronSolve([[1, 2]], eye(2), [1, 2])).toThrow(/kronSolve: a must be square/);
    expect(() => kronSolve(eye(2), eye(2), [1, 2, 3])).toThrow(ShapeError);
    expect(() =>
      kronSolve(
        eye(2),
        tensor([
          [0, 0],
          [0, 1],
        ]),
        [1, 2, 3, 4],
      ),
    ).toThrow(ValueError);
  });
});

describe("Woodbury and Sherman–Morrison", () => {
  it("woodburySolve equals the dense solve of (A + U C V) x = b, with A or A⁻¹ as a function", () => {
    fc.assert(
      fc.property(
        fc
          .tuple(fc.integer({ min: 2, max: 5 }), fc.integer({ min: 1, max: 3 }))
          .chain(([n, k]) =>
            fc.tuple(
              arbSPD(n, 2),
              arbMatrix(n, k, { min: -0.5, max: 0.5 }),
              arbSPD(k, 1),
              arbMatrix(k, n, { min: -0.5, max: 0.5 }),
              arbVec(n),
            ),
          ),
        ([a, u, c, v, b]) => {
          const dense = add(a, matmul(u, matmul(c, v)));
          const want = solve(dense, b);
          expectClose(woodburySolve(a, u, c, v, b), want, { rtol: 1e-8, atol: 1e-10 });
          expectClose(
            woodburySolve((x: Tensor) => solve(a, x), u, c, v, b),
            want,
            { rtol: 1e-8, atol: 1e-10 },
          );
        },
      ),
      RUNS,
    );
  });

  it("matches the numpy reference, with C given as a diagonal and b as a matrix", () => {
    const w = fx.woodbury;
    expectClose(woodburySolve(w.a, w.u, w.c, w.v, w.b), w.x, { rtol: 1e-11, atol: 1e-12 });
    const d = tensor([0.5, 2]);
    const B = tensor(w.b.map((x) => [x, -x]));
    const dense = add(tensor(w.a), matmul(tensor(w.u), mul(mT(tensor([[0.5, 2]])), tensor(w.v))));
    expectClose(woodburySolve(w.a, w.u, d, w.v, B), solve(dense, B), { rtol: 1e-10, atol: 1e-12 });
  });

  it("shermanMorrison equals the dense solve of (A + u vᵀ) x = b", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }).chain((n) => fc.tuple(arbSPD(n, 2), arbVec(n), arbVec(n), arbVec(n))),
        ([a, u, v, b]) => {
          const n = u.size;
          const got = shermanMorrison(a, mul(0.5, u), mul(0.5, v), b);
          const dense2 = add(a, mul(0.25, matmul(tensor(u.data, [n, 1]), tensor(v.data, [1, n]))));
          expectClose(got, solve(dense2, b), { rtol: 1e-8, atol: 1e-10 });
        },
      ),
      RUNS,
    );
  });

  it("rejects mismatched shapes and a singular update", () => {
    expect(() => woodburySolve(eye(3), [[1], [2]], [[1]], [[1, 2, 3]], [1, 2, 3])).toThrow(ShapeError);
    expect(() => woodburySolve([[1, 2, 3]], [[1]], [[1]], [[1]], [1])).toThrow(/square matrix/);
    expect(() => shermanMorrison(eye(2), [1, 0], [-1, 0], [1, 1])).toThrow(/singular/);
  });
});

describe("blockDiagOperator", () => {
  it("matvec, rmatvec and toDense agree with the dense block-diagonal matrix", () => {
    fc.assert(
      fc.property(
        fc
          .array(fc.tuple(dim, dim), { minLength: 1, maxLength: 3 })
          .chain((shapes) => fc.tuple(fc.tuple(...shapes.map(([m, n]) => arbMatrix(m, n))), fc.constant(shapes))),
        ([blocks, shapes]) => {
          const m = shapes.reduce((s, [r]) => s + r, 0);
          const n = shapes.reduce((s, [, c]) => s + c, 0);
          const dense = new Float64Array(m * n);
          let r0 = 0;
          let c0 = 0;
          blocks.forEach((b, k) => {
            const [r, c] = shapes[k]!;
            for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) dense[(r0 + i) * n + c0 + j] = b.data[i * c + j]!;
            r0 += r;
            c0 += c;
          });
          const D = tensor(dense, [m, n]);
          // Mix a dense block with an operator block.
          const op = blockDiagOperator(blocks.map((b, k) => (k % 2 === 0 ? b : LinearOperator.fromDense(b))));
          const x = tensor(Array.from({ length: n }, (_, i) => Math.sin(i + 1)));
          const y = tensor(Array.from({ length: m }, (_, i) => Math.cos(i + 1)));
          expectClose(op.matvec(x), matmul(D, x), { rtol: 1e-13, atol: 1e-14 });
          expectClose(op.rmatvec(y), matmul(mT(D), y), { rtol: 1e-13, atol: 1e-14 });
          expectClose(op.toDense(), D);
          expect(close(op.shape[0], m)).toBe(true);
        },
      ),
      RUNS,
    );
  });

  it("rejects an empty list and a non-matrix block", () => {
    expect(() => blockDiagOperator([])).toThrow(ValueError);
    expect(() => blockDiagOperator([[1, 2]])).toThrow(/blocks\[0\] must be a matrix/);
  });
});
