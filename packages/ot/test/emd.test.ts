import { ShapeError, tensor, ValueError } from "@x/tensor";
import { expectClose } from "@x/test-utils";
import { describe, expect, it } from "vitest";
import { dist, emd, emd2, linearSumAssignment, normalizeCost } from "../src/index.js";
import { ref } from "./fixtures.js";

describe("emd vs POT ot.emd2", () => {
  ref.emd.forEach((c: any, k: number) => {
    it(`case ${k} (${c.a.length}×${c.b.length})`, () => {
      const r = emd(c.a, c.b, c.M);
      expect(r.converged).toBe(true);
      expectClose(r.cost, c.cost, { rtol: 1e-10, atol: 1e-12 });
      expectClose(emd2(c.a, c.b, dist(c.xs, c.xt, "euclidean")).item(), c.costEuclidean, { rtol: 1e-9 });
      // u·a + v·b = cost and u_i + v_j ≤ M_ij
      const u = r.u.data;
      const v = r.v.data;
      let dual = 0;
      c.a.forEach((ai: number, i: number) => (dual += ai * u[i]!));
      c.b.forEach((bj: number, j: number) => (dual += bj * v[j]!));
      expectClose(dual, c.cost, { rtol: 1e-9, atol: 1e-12 });
      c.M.forEach((row: number[], i: number) =>
        row.forEach((m, j) => expect(m - u[i]! - v[j]!).toBeGreaterThan(-1e-9)),
      );
    });
  });
});

describe("dist vs POT ot.dist", () => {
  for (const m of ["sqeuclidean", "euclidean", "cityblock", "cosine"] as const) {
    it(m, () => expectClose(dist(ref.dist.x, ref.dist.y, m), ref.dist[m], { rtol: 1e-12, atol: 1e-12 }));
  }
  it("normalizeCost max/mean/median", () => {
    const C = tensor([
      [1, 2],
      [3, 6],
    ]);
    expectClose(normalizeCost(C, "max"), [
      [1 / 6, 2 / 6],
      [0.5, 1],
    ]);
    expectClose(normalizeCost(C, "mean"), [
      [1 / 3, 2 / 3],
      [1, 2],
    ]);
    expectClose(normalizeCost(C, "median"), [
      [0.4, 0.8],
      [1.2, 2.4],
    ]);
  });
});

describe("linearSumAssignment vs SciPy", () => {
  ref.lap.forEach((c: any, k: number) => {
    it(`case ${k} (${c.C.length}×${c.C[0].length})`, () => {
      const r = linearSumAssignment(c.C);
      expectClose(r.cost, c.cost, { rtol: 1e-12 });
      expect(Array.from(r.rowInd)).toStrictEqual(c.row);
      expect(Array.from(r.colInd)).toStrictEqual(c.col);
    });
  });
  it("maximize negates", () => {
    const C = [
      [1, 5],
      [4, 2],
    ];
    expect(linearSumAssignment(C, { maximize: true }).cost).toBe(9);
    expect(linearSumAssignment(C).cost).toBe(3);
  });
});

describe("bad input", () => {
  const M = [
    [0, 1],
    [1, 0],
  ];
  it("negative marginal", () => expect(() => emd([1.5, -0.5], [0.5, 0.5], M)).toThrow(/a must be non-negative/));
  it("NaN marginal", () => expect(() => emd([0.5, 0.5], [Number.NaN, 1], M)).toThrow(/b must not contain NaN/));
  it("unequal mass states both sums", () => {
    expect(() => emd([0.5, 0.5], [1, 1], M)).toThrow(ValueError);
    expect(() => emd([0.5, 0.5], [1, 1], M)).toThrow(/sum\(a\) = 1, sum\(b\) = 2/);
  });
  it("shape mismatch", () => {
    expect(() => emd([1 / 3, 1 / 3, 1 / 3], [0.5, 0.5], M)).toThrow(ShapeError);
    expect(() => emd([0.5, 0.5], [0.5, 0.5], [1, 2])).toThrow(/M must be a 2-D matrix/);
  });
  it("NaN / Inf cost", () => {
    expect(() =>
      emd(
        [0.5, 0.5],
        [0.5, 0.5],
        [
          [0, Number.NaN],
          [1, 0],
        ],
      ),
    ).toThrow(/M must be finite, found NaN at \(0, 1\)/);
    expect(() =>
      emd2(
        [],
        [],
        [
          [0, 1],
          [Number.POSITIVE_INFINITY, 0],
        ],
      ),
    ).toThrow(ValueError);
    expect(() => linearSumAssignment([[0, Number.NaN]])).toThrow(/C must be finite/);
  });
  it("maxIter reached is reported", () => {
    const r = emd([], [], dist(tensor([[0], [1], [2], [3]]), tensor([[3], [2], [1], [0]])), { maxIter: 1 });
    expect(r.converged).toBe(false);
    expect(r.status).toBe("maxIterReached");
    expect(r.iterations).toBe(1);
    expect(() => emd([], [], M, { maxIter: -1 })).toThrow(/maxIter/);
  });
  it("dist checks", () => {
    expect(() => dist([[1, 2]], [[1, 2, 3]])).toThrow(ShapeError);
    expect(() => dist([[0, 0]], [[1, 2]], "cosine")).toThrow(/zero vector/);
    expect(() => dist([[Number.NaN, 0]])).toThrow(/x must be finite/);
  });
});
