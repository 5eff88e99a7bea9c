import {
  add,
  eye,
  matmul,
  mT,
  mul,
  normal,
  rng,
  ShapeError,
  split,
  sum,
  type Tensor,
  tensor,
  ValueError,
} from "@x/tensor";
import { arbOrthogonal, arbTensorOf, expectClose, gradCheck } from "@x/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  cpAls,
  cpToTensor,
  fold,
  hooi,
  hosvd,
  khatriRao,
  modeNProduct,
  stHosvd,
  tuckerToTensor,
  unfold,
} from "../src/tensor-decomp/index.js";
import fx from "./fixtures/linalg-matfun.json";

const RUNS = { numRuns: 20 };
const arbShape = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 2, maxLength: 4 });
const arbT = arbShape.chain((s) => arbTensorOf(s, { min: -1, max: 1 }));
const fro = (t: Tensor) => Math.sqrt(t.data.reduce((s, v) => s + v * v, 0));
const diff = (a: Tensor, b: Tensor) => fro(add(a, mul(-1, b)));

describe("unfold, fold, modeNProduct", () => {
  it("match the Kolda–Bader unfolding and numpy tensordot", () => {
    const t = fx.tensor;
    t.unfold.forEach((u, n) => expectClose(unfold(t.x, n), u, { rtol: 0, atol: 0 }, `unfold ${n}`));
    expectClose(modeNProduct(t.x, t.m1, 1), t.mode1, { rtol: 1e-13, atol: 1e-14 });
  });

  it("fold ∘ unfold = id; products along distinct modes commute; X ×_n A ×_n B = X ×_n (BA)", () => {
    fc.assert(
      fc.property(
        arbT.chain((x) =>
          fc.tuple(
            fc.constant(x),
            fc.integer({ min: 0, max: x.rank - 1 }),
            fc.integer({ min: 1, max: 3 }),
            fc.integer({ min: 1, max: 3 }),
          ),
        ),
        ([x, n, j, k]) => {
          expectClose(fold(unfold(x, n), n, x.shape), x, { rtol: 0, atol: 0 });
          const keys = split(rng(n + 7 * j + 13 * k), 3);
          const A = normal(keys[0]!, [j, x.shape[n]!]);
          const B = normal(keys[1]!, [k, j]);
          expectClose(modeNProduct(modeNProduct(x, A, n), B, n), modeNProduct(x, matmul(B, A), n), {
            rtol: 1e-12,
            atol: 1e-12,
          });
          const m = (n + 1) % x.rank;
          const C = normal(keys[2]!, [k, x.shape[m]!]);
          expectClose(modeNProduct(modeNProduct(x, A, n), C, m), modeNProduct(modeNProduct(x, C, m), A, n), {
            rtol: 1e-12,
            atol: 1e-12,
          });
        },
      ),
      RUNS,
    );
  });

  it("modeNProduct is differentiable", () => {
    const x = tensor(fx.tensor.x);
    const r = gradCheck((m: Tensor) => sum(mul(modeNProduct(x, m, 2), modeNProduct(x, m, 2))), normal(rng(1), [2, 5]));
    expect(r.ok).toBe(true);
  });

  it("rejects a mode out of range and a mismatched matrix", () => {
    expect(() => unfold(fx.tensor.x, 3)).toThrow(/mode must be an integer in \[-3, 2\]/);
    expect(() => modeNProduct(fx.tensor.x, [[1, 2]], 0)).toThrow(ShapeError);
    expect(() => fold([[1, 2, 3]], 0, [2, 2])).toThrow(ShapeError);
  });
});

describe("HOSVD and ST-HOSVD", () => {
  it("HOSVD: ‖X − X̂‖ ≤ tail bound √Σ discarded σ², with orthonormal factors", () => {
    fc.assert(
      fc.property(
        arbT.chain((x) => fc.tuple(fc.constant(x), fc.tuple(...x.shape.map((d) => fc.integer({ min: 1, max: d }))))),
        ([x, ranks]) => {
          const r = hosvd(x, { ranks });
          expect(r.ranks).toEqual(ranks);
          expect(r.core.shape).toEqual(ranks);
          const err = diff(tuckerToTensor(r.core, r.factors), x);
          expect(err).toBeLessThanOrEqual(r.errorBound * (1 + 1e-9) + 1e-12);
          r.factors.forEach((f, n) => expectClose(matmul(mT(f), f), eye(ranks[n]!), { atol: 1e-12 }));
        },
      ),
      RUNS,
    );
  });

  it("HOSVD singular values of the unfoldings match numpy", () => {
    const t = fx.tensor;
    const full = hosvd(t.x, { ranks: [3, 4, 5] });
    expect(full.errorBound).toBeLessThan(1e-12);
    const r = hosvd(t.x, { ranks: [2, 2, 3] });
    const tail = t.sigma.map((s, n) => s.slice([2, 2, 3][n]).reduce((a, v) => a + v * v, 0));
    expect(r.errorBound).toBeCloseTo(Math.sqrt(tail.reduce((a, v) => a + v, 0)), 10);
  });

  it("tolerance mode: ranks chosen so that errorBound ≤ tol·‖X‖, for HOSVD and ST-HOSVD", () => {
    fc.assert(
      fc.property(arbT, fc.constantFrom(0.05, 0.2, 0.5), (x, tol) => {
        for (const f of [hosvd, stHosvd]) {
          const r = f(x, { tol });
          expect(r.errorBound).toBeLessThanOrEqual(tol * fro(x) * (1 + 1e-12) + 1e-14);
          expect(diff(tuckerToTensor(r.core, r.factors), x)).toBeLessThanOrEqual(r.errorBound * (1 + 1e-9) + 1e-12);
        }
      }),
      RUNS,
    );
  });

  it("ST-HOSVD: exact at full ranks, and its error equals the tail bound", () => {
    fc.assert(
      fc.property(
        arbT.chain((x) => fc.tuple(fc.constant(x), fc.tuple(...x.shape.map((d) => fc.integer({ min: 1, max: d }))))),
        ([x, ranks]) => {
          const full = stHosvd(x, { ranks: x.shape });
          expectClose(tuckerToTensor(full.core, full.factors), x, { rtol: 1e-10, atol: 1e-12 });
          const r = stHosvd(x, { ranks });
          const err = diff(tuckerToTensor(r.core, r.factors), x);
          expect(Math.abs(err - r.errorBound)).toBeLessThanOrEqual(1e-9 * (1 + fro(x)));
        },
      ),
      RUNS,
    );
  });

  it("recovers an exactly low-multilinear-rank tensor", () => {
    fc.assert(
      fc.property(fc.tuple(arbOrthogonal(4), arbOrthogonal(3), arbOrthogonal(5)), ([q0, q1, q2]) => {
        const core = normal(rng(3), [2, 2, 2]);
        const cols = (q: Tensor) =>
          tensor(
            Array.from({ length: q.shape[0]! }, (_, i) => [q.data[i * q.shape[1]!]!, q.data[i * q.shape[1]! + 1]!]),
          );
        const x = tuckerToTensor(core, [cols(q0), cols(q1), cols(q2)]);
        for (const f of [hosvd, stHosvd]) {
          const r = f(x, { tol: 1e-8 });
          expect(r.ranks).toEqual([2, 2, 2]);
          expectClose(tuckerToTensor(r.core, r.factors), x, { rtol: 1e-9, atol: 1e-10 });
        }
      }),
      { numRuns: 10 },
    );
  });

  it("rejects ranks larger than the dimension, wrong rank count and a bad tol", () => {
    expect(() => hosvd(fx.tensor.x, { ranks: [4, 4, 5] })).toThrow(/ranks\[0\] must be an integer in \[1, 3\]/);
    expect(() => stHosvd(fx.tensor.x, { ranks: [1, 1] })).toThrow(ValueError);
    expect(() => hosvd(fx.tensor.x, { tol: -1 })).toThrow(ValueError);
  });
});

describe("HOOI", () => {
  it("never does worse than the HOSVD start, reports its exact error and keeps orthonormal factors", () => {
    fc.assert(
      fc.property(
        arbT.chain((x) => fc.tuple(fc.constant(x), fc.tuple(...x.shape.map((d) => fc.integer({ min: 1, max: d }))))),
        ([x, ranks]) => {
          const h = hosvd(x, { ranks });
          const r = hooi(x, { ranks, maxIter: 50 });
          const err = diff(tuckerToTensor(r.core, r.factors), x);
          expect(Math.abs(err - r.errorBound)).toBeLessThan(1e-9 * (1 + fro(x)));
          expect(err).toBeLessThanOrEqual(diff(tuckerToTensor(h.core, h.factors), x) + 1e-10);
          r.errorHistory.forEach((e, k) => {
            if (k > 0) expect(e).toBeLessThanOrEqual(r.errorHistory[k - 1]! + 1e-10);
          });
          r.factors.forEach((f, n) => expectClose(matmul(mT(f), f), eye(ranks[n]!), { atol: 1e-12 }));
        },
      ),
      RUNS,
    );
  });

  it("rejects ranks larger than the dimension", () => {
    expect(() => hooi(fx.tensor.x, { ranks: [1, 5, 1] })).toThrow(/ranks\[1\] must be an integer in \[1, 4\]/);
  });
});

describe("CP-ALS", () => {
  const exactRankR = (seed: number, R: number) => {
    const keys = split(rng(seed), 3);
    const factors = [4, 5, 3].map((d, n) => normal(keys[n]!, [d, R]));
    return cpToTensor(tensor(new Array(R).fill(1)), factors);
  };

  it("recovers an exactly rank-R tensor (fit → 1) on seeded data", () => {
    // ALS is not guaranteed to escape "swamps" (about 1 random rank-3 tensor in 300 stalls near fit 0.99 even
    // after 5000 sweeps), so recovery is checked on a fixed, documented set of seeds rather than as a property.
    for (let seed = 0; seed < 12; seed++) {
      for (const R of [1, 2, 3]) {
        const x = exactRankR(seed, R);
        const r = cpAls(x, R, { maxIter: 1000, tol: 1e-12 });
        const fit = r.fitHistory[r.fitHistory.length - 1]!;
        expect(fit).toBeGreaterThan(1 - 1e-6);
        expectClose(cpToTensor(r.weights, r.factors), x, { rtol: 1e-5, atol: 1e-5 });
        expect(r.iterations).toBe(r.fitHistory.length);
      }
    }
  });

  it("plain ALS never decreases the fit and stays in [0, 1] (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 1, max: 3 }), (seed, R) => {
        const r = cpAls(exactRankR(seed, R), R, { maxIter: 30, lineSearch: false });
        r.fitHistory.forEach((f, k) => {
          expect(f).toBeLessThanOrEqual(1 + 1e-12);
          if (k > 0) expect(f).toBeGreaterThanOrEqual(r.fitHistory[k - 1]! - 1e-12);
        });
      }),
      { numRuns: 10 },
    );
  });

  it("random initialisation from a key also recovers rank-2 tensors", () => {
    for (const seed of [1, 2, 3]) {
      const keys = split(rng(seed), 3);
      const factors = [4, 3, 5].map((d, n) => normal(keys[n]!, [d, 2]));
      const x = cpToTensor(tensor([1, 1]), factors);
      const r = cpAls(x, 2, { init: "random", key: rng(100 + seed), maxIter: 2000, tol: 1e-13 });
      expect(r.fitHistory[r.fitHistory.length - 1]!).toBeGreaterThan(1 - 1e-6);
      // Plain ALS (no line search) never decreases the fit.
      const p = cpAls(x, 2, { init: "random", key: rng(100 + seed), maxIter: 50, lineSearch: false });
      p.fitHistory.forEach((f, k) => {
        if (k > 0) expect(f).toBeGreaterThanOrEqual(p.fitHistory[k - 1]! - 1e-12);
      });
    }
  });

  it("Khatri–Rao columns are Kronecker products of the columns", () => {
    const a = tensor([
      [1, 2],
      [3, 4],
    ]);
    const b = tensor([
      [5, 6],
      [7, 8],
      [9, 10],
    ]);
    expectClose(khatriRao([a, b]), [
      [5, 12],
      [7, 16],
      [9, 20],
      [15, 24],
      [21, 32],
      [27, 40],
    ]);
  });

  it("stops at maxIter with converged = false and rejects bad input", () => {
    const r = cpAls(fx.tensor.x, 2, { maxIter: 3 });
    expect(r.converged).toBe(false);
    expect(r.iterations).toBe(3);
    expect(() => cpAls(fx.tensor.x, 0)).toThrow(/rank must be a positive integer/);
    expect(() => cpAls([1, 2, 3], 1)).toThrow(ValueError);
  });
});
