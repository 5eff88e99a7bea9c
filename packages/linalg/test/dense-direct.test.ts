import { eye, matmul, mT, ShapeError, type Tensor, tensor, ValueError } from "@x/tensor";
import { arbDiagDominant, arbMatrix, arbSPD, close, expectClose } from "@x/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  cholesky,
  choleskySolve,
  det,
  inv,
  logdet,
  lstsq,
  lu,
  luSolve,
  NotPositiveDefiniteError,
  qr,
  SingularMatrixError,
  slogdet,
  solve,
  solveTriangular,
} from "../src/dense/index.js";
import fx from "./fixtures/linalg-dense.json";

const T = (x: unknown) => tensor(x as number[][]);
const TOL = { rtol: 1e-9, atol: 1e-10 };
const arbN = fc.integer({ min: 1, max: 5 });
const arbDD = arbN.chain((n) => arbDiagDominant(n));
const arbSpd = arbN.chain((n) => arbSPD(n));
const arbMN = fc
  .tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }))
  .chain(([m, n]) => arbMatrix(m, n));

function isUpper(r: Tensor): boolean {
  const [m, n] = r.shape as [number, number];
  for (let i = 0; i < m; i++) for (let j = 0; j < Math.min(i, n); j++) if (r.data[i * n + j] !== 0) return false;
  return true;
}

describe("lu", () => {
  it("reconstructs a = p·l·u with unit lower l, |l_ij| ≤ 1, upper u (any m×n)", () => {
    fc.assert(
      fc.property(arbMN, (a) => {
        const { p, l, u, sign } = lu(a);
        expectClose(matmul(p, matmul(l, u)), a, TOL);
        expect(isUpper(u)).toBe(true);
        const k = l.shape[1]!;
        for (let i = 0; i < l.shape[0]!; i++) {
          for (let j = 0; j < k; j++) {
            const v = l.data[i * k + j]!;
            if (j === i) expect(v).toBe(1);
            if (j > i) expect(v).toBe(0);
            expect(Math.abs(v)).toBeLessThanOrEqual(1);
          }
        }
        expect(Math.abs(sign.item())).toBe(1);
      }),
      { numRuns: 20 },
    );
  });
  it("matches scipy.linalg.lu / lu_factor", () => {
    for (const c of fx.lu) {
      const r = lu(T(c.a));
      expectClose(r.p, T(c.p), TOL, "p");
      expectClose(r.l, T(c.l), TOL, "l");
      expectClose(r.u, T(c.u), TOL, "u");
      if (c.lu && c.piv) {
        expectClose(r.lu, T(c.lu), TOL, "lu");
        expectClose(r.piv, tensor(c.piv), TOL, "piv");
      }
    }
    const b = fx.batched;
    const r = lu(T(b.a));
    expectClose(r.p, T(b.p), TOL, "batched p");
    expectClose(r.l, T(b.l), TOL, "batched l");
    expectClose(r.u, T(b.u), TOL, "batched u");
  });
  it("luSolve solves from the factors; rejects a bad pivot vector", () => {
    fc.assert(
      fc.property(arbDD, (a) => {
        const n = a.shape[0]!;
        const b = tensor(Array.from({ length: n }, (_, i) => i + 1));
        expectClose(matmul(a, luSolve(lu(a), b)), b, TOL);
      }),
      { numRuns: 20 },
    );
    expect(() => lu([[1, Number.NaN]])).toThrow(/lu: a must be finite/);
    expect(() => lu([1, 2])).toThrow(ShapeError);
    const f = lu([
      [2, 1],
      [1, 3],
    ]);
    expect(() => luSolve({ lu: f.lu, piv: [5, 0] }, [1, 1])).toThrow(ValueError);
  });
});

describe("cholesky", () => {
  it("a = l·lᵀ with l lower and positive diagonal; upper option gives lᵀ", () => {
    fc.assert(
      fc.property(arbSpd, (a) => {
        const { l, jitter } = cholesky(a);
        expect(jitter).toBe(0);
        expectClose(matmul(l, mT(l)), a, TOL);
        expect(isUpper(mT(l))).toBe(true);
        const n = a.shape[0]!;
        for (let i = 0; i < n; i++) expect(l.data[i * n + i]!).toBeGreaterThan(0);
        expectClose(cholesky(a, { lower: false }).l, mT(l), { rtol: 0, atol: 0 });
      }),
      { numRuns: 20 },
    );
  });
  it("choleskySolve solves a·x = b (lower and upper factor)", () => {
    fc.assert(
      fc.property(arbSpd, (a) => {
        const n = a.shape[0]!;
        const b = tensor(
          Array.from({ length: n * 2 }, (_, i) => Math.sin(i + 1)),
          [n, 2],
        );
        expectClose(matmul(a, choleskySolve(cholesky(a).l, b)), b, TOL);
        expectClose(matmul(a, choleskySolve(cholesky(a, { lower: false }).l, b, { lower: false })), b, TOL);
      }),
      { numRuns: 20 },
    );
    expect(() =>
      choleskySolve(
        [
          [1, 0],
          [0, 1],
        ],
        [1, 2, 3],
      ),
    ).toThrow(ShapeError);
  });
  it("matches scipy.linalg.cholesky (single and batched) and logdet matches slogdet", () => {
    const c = fx.cholesky;
    expectClose(cholesky(T(c.a)).l, T(c.l), TOL, "lower");
    expectClose(cholesky(T(c.a), { lower: false }).l, T(c.u), TOL, "upper");
    expectClose(logdet(T(c.a)), c.logdet, TOL, "logdet");
    expectClose(cholesky(T(fx.batched.spd)).l, T(fx.batched.chol), TOL, "batched");
    expectClose(logdet(T(fx.batched.spd)), tensor(fx.batched.logdet), TOL, "batched logdet");
  });
  it("non-SPD input throws NotPositiveDefiniteError naming the pivot; jitter 'auto' rescues a PSD matrix", () => {
    let err: unknown;
    try {
      cholesky([
        [1, 2],
        [2, 1],
      ]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NotPositiveDefiniteError);
    expect(err).toBeInstanceOf(ValueError);
    expect((err as NotPositiveDefiniteError).pivotIndex).toBe(1);
    expect((err as NotPositiveDefiniteError).pivotValue).toBeCloseTo(-3, 12);
    expect((err as Error).message).toMatch(/a is not positive definite.*pivot 1/);
    // Rank-1 PSD: the exact factorization fails at pivot 1, a tiny jitter makes it work.
    const psd = [
      [1, 1],
      [1, 1],
    ];
    expect(() => cholesky(psd)).toThrow(NotPositiveDefiniteError);
    const r = cholesky(psd, { jitter: "auto" });
    // First level 1e-10·mean(diag)·10⁰ already succeeds here.
    expect(close(r.jitter, 1e-10, { rtol: 1e-12, atol: 0 })).toBe(true);
    expectClose(
      matmul(r.l, mT(r.l)),
      [
        [1 + r.jitter, 1],
        [1, 1 + r.jitter],
      ],
      TOL,
    );
    expect(() =>
      cholesky(
        [
          [-1, 0],
          [0, 1],
        ],
        { jitter: "auto" },
      ),
    ).toThrow(NotPositiveDefiniteError);
    expect(cholesky([[4]], { jitter: 5 }).l.item()).toBeCloseTo(3, 14);
    expect(() =>
      logdet([
        [1, 2],
        [2, 1],
      ]),
    ).toThrow(NotPositiveDefiniteError);
    expect(() =>
      cholesky([
        [1, 2, 3],
        [4, 5, 6],
      ]),
    ).toThrow(ShapeError);
    expect(() =>
      cholesky([
        [1, Number.NaN],
        [0, 1],
      ]),
    ).toThrow(/finite/);
  });
});

describe("qr", () => {
  it("a = q·r, qᵀq = I, r upper triangular (reduced and complete, any m×n)", () => {
    fc.assert(
      fc.property(arbMN, (a) => {
        const [m, n] = a.shape as [number, number];
        for (const mode of ["reduced", "complete"] as const) {
          const { q, r } = qr(a, { mode });
          const k = mode === "reduced" ? Math.min(m, n) : m;
          expect(q.shape).toEqual([m, k]);
          expect(r.shape).toEqual([k, n]);
          expectClose(matmul(q, r), a, TOL);
          expectClose(matmul(mT(q), q), eye(k), TOL);
          expect(isUpper(r)).toBe(true);
        }
        expectClose(qr(a, { mode: "r" }).r, qr(a).r, { rtol: 0, atol: 0 });
      }),
      { numRuns: 20 },
    );
  });
  it("matches scipy.linalg.qr (economic and full, signs included)", () => {
    for (const c of fx.qr) {
      const r = qr(T(c.a));
      expectClose(r.q, T(c.q), TOL, "q");
      expectClose(r.r, T(c.r), TOL, "r");
      const f = qr(T(c.a), { mode: "complete" });
      expectClose(f.q, T(c.qComplete), TOL, "q complete");
      expectClose(f.r, T(c.rComplete), TOL, "r complete");
    }
    const r = qr(T(fx.batched.a));
    expectClose(r.q, T(fx.batched.qrQ), TOL, "batched q");
    expectClose(r.r, T(fx.batched.qrR), TOL, "batched r");
    expect(() => qr([1, 2, 3])).toThrow(ShapeError);
    expect(() => qr([[1, Number.NaN]])).toThrow(/qr: a must be finite/);
    expect(() => qr([[1]], { mode: "full" as "reduced" })).toThrow(/mode/);
  });
});

describe("solve / inv / det / slogdet", () => {
  it("solve has a small residual (vector and matrix b); inv·a = I", () => {
    fc.assert(
      fc.property(arbDD, (a) => {
        const n = a.shape[0]!;
        const b1 = tensor(Array.from({ length: n }, (_, i) => Math.cos(i)));
        const b2 = tensor(
          Array.from({ length: 3 * n }, (_, i) => Math.sin(i)),
          [n, 3],
        );
        expectClose(matmul(a, solve(a, b1)), b1, TOL);
        expectClose(matmul(a, solve(a, b2)), b2, TOL);
        expectClose(matmul(inv(a), a), eye(n), TOL);
      }),
      { numRuns: 20 },
    );
  });
  it("det(ab) = det(a)·det(b); slogdet agrees with log|det|", () => {
    fc.assert(
      fc.property(
        arbN.chain((n) => fc.tuple(arbDiagDominant(n), arbMatrix(n, n))),
        ([a, b]) => {
          const dab = det(matmul(a, b)).item();
          const prod = det(a).item() * det(b).item();
          expect(close(dab, prod, { rtol: 1e-9, atol: 1e-10 })).toBe(true);
          const { sign, logabsdet } = slogdet(a);
          const d = det(a).item();
          expect(sign.item()).toBe(Math.sign(d));
          expect(close(logabsdet.item(), Math.log(Math.abs(d)), TOL)).toBe(true);
        },
      ),
      { numRuns: 20 },
    );
  });
  it("matches scipy solve/inv/det and numpy slogdet (single and batched 2×3×3)", () => {
    const s = fx.solve;
    expectClose(solve(T(s.a), tensor(s.b1)), tensor(s.x1), TOL, "x1");
    expectClose(solve(T(s.a), T(s.b2)), T(s.x2), TOL, "x2");
    expectClose(inv(T(s.a)), T(s.inv), TOL, "inv");
    expectClose(det(T(s.a)), s.det, TOL, "det");
    const sl = slogdet(T(s.a));
    expectClose(sl.sign, s.slogdet[0]!, TOL, "sign");
    expectClose(sl.logabsdet, s.slogdet[1]!, TOL, "logabsdet");
    const b = fx.batched;
    expectClose(solve(T(b.a), T(b.b)), T(b.solve), TOL, "batched solve");
    expectClose(inv(T(b.a)), T(b.inv), TOL, "batched inv");
    expectClose(det(T(b.a)), tensor(b.det), TOL, "batched det");
    const bs = slogdet(T(b.a));
    expectClose(bs.sign, tensor(b.slogdetSign), TOL, "batched sign");
    expectClose(bs.logabsdet, tensor(b.slogdetLog), TOL, "batched logabsdet");
  });
  it("singular input: SingularMatrixError with the pivot index; det 0 and slogdet (0, −∞)", () => {
    const sing = [
      [1, 2],
      [2, 4],
    ];
    let err: unknown;
    try {
      solve(sing, [1, 1]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SingularMatrixError);
    expect((err as SingularMatrixError).index).toBe(1);
    expect(() => inv(sing)).toThrow(SingularMatrixError);
    expect(det(sing).item()).toBe(0);
    const s = slogdet(sing);
    expect(s.sign.item()).toBe(0);
    expect(s.logabsdet.item()).toBe(Number.NEGATIVE_INFINITY);
  });
  it("bad input: non-square, mismatched b, NaN", () => {
    expect(() =>
      solve(
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
        [1, 2],
      ),
    ).toThrow(ShapeError);
    expect(() =>
      solve(
        [
          [1, 0],
          [0, 1],
        ],
        [1, 2, 3],
      ),
    ).toThrow(/b must have shape/);
    expect(() =>
      solve(
        [
          [1, 0],
          [0, Number.NaN],
        ],
        [1, 2],
      ),
    ).toThrow(/solve: a must be finite/);
    expect(() => inv([[1, 2, 3]])).toThrow(ShapeError);
    expect(() => det([1, 2])).toThrow(ShapeError);
    expect(() => slogdet([[Number.POSITIVE_INFINITY]])).toThrow(ValueError);
    expect(() => logdet([[1, 2, 3]])).toThrow(ShapeError);
  });
});

describe("solveTriangular", () => {
  it("matches scipy.linalg.solve_triangular (lower, trans, unit diagonal, upper)", () => {
    const s = fx.solveTriangular;
    const t = T(s.t);
    const b = T(s.b);
    expectClose(solveTriangular(t, b, { lower: true }), T(s.lower), TOL, "lower");
    expectClose(solveTriangular(t, b, { lower: true, trans: true }), T(s.lowerTrans), TOL, "trans");
    expectClose(solveTriangular(t, b, { lower: true, unitDiagonal: true }), T(s.lowerUnit), TOL, "unit");
    expectClose(solveTriangular(mT(t), b, { lower: false }), T(s.upper), TOL, "upper");
  });
  it("residual property and bad input", () => {
    fc.assert(
      fc.property(arbSpd, (a) => {
        const l = cholesky(a).l;
        const n = a.shape[0]!;
        const b = tensor(Array.from({ length: n }, (_, i) => i - 1));
        expectClose(matmul(l, solveTriangular(l, b, { lower: true })), b, TOL);
        expectClose(matmul(mT(l), solveTriangular(l, b, { lower: true, trans: true })), b, TOL);
      }),
      { numRuns: 20 },
    );
    expect(() =>
      solveTriangular(
        [
          [1, 0],
          [1, 0],
        ],
        [1, 1],
        { lower: true },
      ),
    ).toThrow(SingularMatrixError);
    expect(() =>
      solveTriangular(
        [
          [1, 0],
          [1, 1],
        ],
        [1, 1, 1],
        { lower: true },
      ),
    ).toThrow(ShapeError);
  });
});

describe("lstsq", () => {
  it("satisfies the normal equations aᵀ(a·x − b) = 0 and reports ‖a·x − b‖²", () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 4 })
          .chain((n) => fc.tuple(arbMatrix(n + 2, n, { min: -1, max: 1 }), arbMatrix(n + 2, 2), fc.constant(n))),
        ([a0, b]) => {
          // Add a scaled identity on top so the columns are independent.
          const n = a0.shape[1]!;
          const ad = Float64Array.from(a0.data);
          for (let i = 0; i < n; i++) ad[i * n + i]! += 3;
          const a = tensor(ad, a0.shape);
          const { x, residuals, rank } = lstsq(a, b);
          expect(rank).toBe(n);
          const r = tensor(
            Array.from(matmul(a, x).data, (v, i) => v - b.data[i]!),
            b.shape,
          );
          expectClose(matmul(mT(a), r), tensor(new Float64Array(2 * n), [n, 2]), { rtol: 0, atol: 1e-9 });
          const rr = [0, 1].map((j) => {
            let s = 0;
            for (let i = 0; i < n + 2; i++) s += r.data[i * 2 + j]! ** 2;
            return s;
          });
          expectClose(residuals, rr, { rtol: 1e-8, atol: 1e-10 });
        },
      ),
      { numRuns: 20 },
    );
  });
  it("matches scipy.linalg.lstsq; rejects rank deficiency and underdetermined systems", () => {
    const s = fx.lstsq;
    const r1 = lstsq(T(s.a), tensor(s.b1));
    expectClose(r1.x, tensor(s.x1), TOL, "x1");
    expectClose(r1.residuals, s.res1, TOL, "res1");
    const r2 = lstsq(T(s.a), T(s.b2));
    expectClose(r2.x, T(s.x2), TOL, "x2");
    expectClose(r2.residuals, tensor(s.res2), TOL, "res2");
    expect(r2.rank).toBe(s.rank);
    expect(() =>
      lstsq(
        [
          [1, 2],
          [2, 4],
          [3, 6],
        ],
        [1, 2, 3],
      ),
    ).toThrow(/rank deficient.*pinv/);
    expect(() => lstsq([[1, 2, 3]], [1])).toThrow(/underdetermined/);
    expect(() => lstsq([[1], [2]], [1, 2, 3])).toThrow(ShapeError);
  });
});
