import { ShapeError, tensor, transpose, ValueError } from "@x/tensor";
import { arbMatrix, arbTensorOf, expectClose } from "@x/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { asOperator, CsrMatrix, poisson2d } from "../src/krylov/index.js";
import fx from "./fixtures/linalg-krylov.json";
import { denseMatvec } from "./krylov-helpers.js";

// Random COO triplets on an m×n shape, with repeated coordinates likely.
const arbTriplets = fc
  .tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }))
  .chain(([m, n]) =>
    fc
      .array(
        fc.tuple(
          fc.integer({ min: 0, max: m - 1 }),
          fc.integer({ min: 0, max: n - 1 }),
          fc.double({ min: -2, max: 2, noNaN: true }),
        ),
        { maxLength: 20 },
      )
      .map((t) => ({ m, n, t })),
  );

describe("CsrMatrix", () => {
  it("fromTriplets sums duplicates and round-trips through toDense / fromDense", () => {
    fc.assert(
      fc.property(arbTriplets, ({ m, n, t }) => {
        const a = CsrMatrix.fromTriplets(
          t.map((e) => e[0]),
          t.map((e) => e[1]),
          t.map((e) => e[2]),
          [m, n],
        );
        const dense = new Float64Array(m * n);
        for (const [i, j, v] of t) dense[i * n + j]! += v;
        expectClose(a.toDense(), tensor(dense, [m, n]), { rtol: 1e-14, atol: 1e-14 });
        // Unique coordinates only, sorted within rows.
        const seen = new Set(t.map(([i, j]) => i * n + j));
        expect(a.nnz).toBe(seen.size);
        for (let i = 0; i < m; i++) {
          for (let k = a.indptr[i]! + 1; k < a.indptr[i + 1]!; k++)
            expect(a.indices[k]!).toBeGreaterThan(a.indices[k - 1]!);
        }
        const back = CsrMatrix.fromDense(a.toDense());
        expectClose(back.toDense(), a.toDense());
      }),
      { numRuns: 20 },
    );
  });

  it("matvec, rmatvec, transpose, diagonal and toOperator agree with dense algebra", () => {
    fc.assert(
      fc.property(
        fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 })).chain(([m, n]) =>
          fc.tuple(
            arbMatrix(m, n).map((a) =>
              tensor(
                a.data.map((v) => (Math.abs(v) < 1 ? 0 : v)),
                [m, n],
              ),
            ),
            arbTensorOf([n]),
            arbTensorOf([m]),
          ),
        ),
        ([a, x, y]) => {
          const s = CsrMatrix.fromDense(a);
          expectClose(s.matvec(x), denseMatvec(a, x.data), { rtol: 1e-13, atol: 1e-13 });
          const at = transpose(a);
          expectClose(s.rmatvec(y), denseMatvec(at, y.data), { rtol: 1e-13, atol: 1e-13 });
          expectClose(s.transpose().toDense(), at);
          const op = s.toOperator();
          expectClose(op.matvec(x), s.matvec(x));
          expectClose(op.rmatvec(y), s.rmatvec(y));
          const p = Math.min(a.shape[0]!, a.shape[1]!);
          expectClose(
            s.diagonal(),
            Array.from({ length: p }, (_, i) => a.data[i * a.shape[1]! + i]!),
          );
          expectClose(asOperator(a).matvec(x), s.matvec(x), { rtol: 1e-13, atol: 1e-13 });
        },
      ),
      { numRuns: 20 },
    );
  });

  it("fromDense drops entries with |a| ≤ dropTol; isSymmetric", () => {
    const s = CsrMatrix.fromDense(
      [
        [1, 1e-9, 0],
        [1e-9, 2, 3],
        [0, 3, 4],
      ],
      { dropTol: 1e-6 },
    );
    expect(s.nnz).toBe(5);
    expect(s.isSymmetric()).toBe(true);
    expect(
      CsrMatrix.fromDense([
        [1, 2],
        [0, 1],
      ]).isSymmetric(),
    ).toBe(false);
    expect(s.toOperator({ symmetric: true }).symmetric).toBe(true);
  });

  it("bad input: out-of-range indices, mismatched lengths, non-matrix, bad vector length", () => {
    expect(() => CsrMatrix.fromTriplets([0, 2], [0, 0], [1, 1], [2, 2])).toThrow(
      /rows\[1\] = 2 is not an integer in \[0, 2\)/,
    );
    expect(() => CsrMatrix.fromTriplets([0], [0, 1], [1], [2, 2])).toThrow(ShapeError);
    expect(() => CsrMatrix.fromTriplets([0], [0], [Number.NaN], [2, 2])).toThrow(ValueError);
    expect(() => CsrMatrix.fromDense([1, 2, 3])).toThrow(/fromDense: a must be a matrix/);
    expect(() => poisson2d(2).matvec([1, 2])).toThrow(/matvec: v must be a vector of length 4/);
    expect(() => new CsrMatrix(new Int32Array([0, 2]), new Int32Array([0]), new Float64Array([1]), [1, 1])).toThrow(
      ShapeError,
    );
    expect(
      () => new CsrMatrix(new Int32Array([0, 2]), new Int32Array([1, 0]), new Float64Array([1, 1]), [1, 2]),
    ).toThrow(/strictly increasing/);
  });
});

describe("poisson2d", () => {
  it("is the 5-point Laplacian: symmetric, 4 on the diagonal, row sums 0 inside and > 0 at the boundary", () => {
    const p = poisson2d(3);
    expect(p.shape).toEqual([9, 9]);
    expect(p.nnz).toBe(5 * 9 - 4 * 3);
    expect(p.isSymmetric()).toBe(true);
    expectClose(p.diagonal(), new Array(9).fill(4));
    const rowSums = p.matvec(new Array(9).fill(1)).data;
    // Row sums = number of missing (boundary) neighbours: corners 2, edges 1, centre 0.
    expectClose(tensor(rowSums, [9]), [2, 1, 2, 1, 0, 1, 2, 1, 2]);
    expect(p.toDense().data[0 * 9 + 3]).toBe(-1);
  });

  it("IC(0)-sized sanity vs SciPy: 100×100 grid has 5n² − 4n stored entries", () => {
    expect(poisson2d(fx.grid100.n).nnz).toBe(5 * 100 * 100 - 4 * 100);
  });

  it("bad input: n must be a positive integer", () => {
    expect(() => poisson2d(0)).toThrow(/poisson2d: n must be a positive integer/);
  });
});
