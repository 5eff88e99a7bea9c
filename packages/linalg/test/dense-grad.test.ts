import {
  add,
  grad,
  hvp,
  jvp,
  mT,
  mul,
  sin,
  stopGradient,
  sub,
  sum,
  type Tensor,
  tensor,
  UnsupportedError,
} from "@x/tensor";
import { arbDiagDominant, arbMatrix, arbSPD, close, expectClose } from "@x/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  cholesky,
  det,
  inv,
  logdet,
  lstsq,
  lu,
  luSolve,
  qr,
  slogdet,
  solve,
  solveTriangular,
} from "../src/dense/index.js";
import { expectGrad, expectHvp, weight, wsum } from "./helpers/grad.js";

const RUNS = { numRuns: 8 };
const arbN = fc.integer({ min: 1, max: 4 });

describe("first-order derivatives (reverse vs finite differences, forward vs reverse)", () => {
  it("solve: wrt a and b, vector and matrix right-hand sides", () => {
    fc.assert(
      fc.property(
        arbN.chain((n) => fc.tuple(arbDiagDominant(n), arbMatrix(n, 2))),
        ([a, b]) => {
          const n = a.shape[0]!;
          const b1 = tensor(Array.from(b.data.slice(0, n)), [n]);
          expectGrad((x) => wsum(solve(x, b)), a, "solve wrt a");
          expectGrad((y) => wsum(solve(a, y)), b, "solve wrt b");
          expectGrad((x) => wsum(solve(x, b1)), a, "solve (vector) wrt a");
          expectGrad((y) => wsum(solve(a, y)), b1, "solve (vector) wrt b");
        },
      ),
      RUNS,
    );
  });
  it("inv, det, slogdet", () => {
    fc.assert(
      fc.property(
        arbN.chain((n) => arbDiagDominant(n)),
        (a) => {
          expectGrad((x) => wsum(inv(x)), a, "inv");
          expectGrad((x) => det(x), a, "det");
          expectGrad((x) => slogdet(x).logabsdet, a, "slogdet");
        },
      ),
      RUNS,
    );
  });
  it("cholesky (lower and upper) and logdet at SPD inputs", () => {
    fc.assert(
      fc.property(
        arbN.chain((n) => arbSPD(n)),
        (a) => {
          expectGrad((x) => wsum(cholesky(x).l), a, "cholesky");
          expectGrad((x) => wsum(cholesky(x, { lower: false }).l), a, "cholesky upper");
          expectGrad((x) => logdet(x), a, "logdet");
          // The jitter is a constant shift of the diagonal: the traced path differentiates chol(a + jitter·I).
          expectGrad((x) => wsum(cholesky(x, { jitter: 0.5 }).l), a, "cholesky with jitter");
        },
      ),
      RUNS,
    );
  });
  it("qr (reduced, m ≥ n): q and r", () => {
    fc.assert(
      fc.property(
        fc
          .tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 2 }))
          .chain(([n, extra]) => arbMatrix(n + extra, n, { min: -1, max: 1 })),
        (a0) => {
          const n = a0.shape[1]!;
          // A dense offset keeps every subdiagonal entry non-zero (LAPACK's reflector convention makes qr
          // discontinuous where a column is already zero below the diagonal) and 5 on the diagonal makes
          // the top block diagonally dominant (full column rank).
          const w = weight([...a0.shape]).data;
          const ad = Float64Array.from(a0.data, (v, i) => v + 0.1 * w[i]!);
          for (let i = 0; i < n; i++) ad[i * n + i]! += 5;
          const a = tensor(ad, a0.shape);
          expectGrad((x) => wsum(qr(x).q), a, "qr q");
          expectGrad((x) => wsum(qr(x).r), a, "qr r");
        },
      ),
      RUNS,
    );
  });
  it("solveTriangular wrt the triangle and b (plain, trans, unit diagonal)", () => {
    fc.assert(
      fc.property(
        arbN.chain((n) => fc.tuple(arbSPD(n), arbMatrix(n, 2))),
        ([s, b]) => {
          const l = cholesky(s).l;
          for (const o of [{ lower: true }, { lower: true, trans: true }, { lower: true, unitDiagonal: true }]) {
            expectGrad((x) => wsum(solveTriangular(x, b, o)), l, `solveTriangular ${JSON.stringify(o)} wrt a`);
            expectGrad((y) => wsum(solveTriangular(l, y, o)), b, `solveTriangular ${JSON.stringify(o)} wrt b`);
          }
        },
      ),
      RUNS,
    );
  });
  it("batched inputs differentiate per matrix", () => {
    const a = tensor([
      [
        [4, 1, 0],
        [1, 3, 0.5],
        [0, 0.5, 2],
      ],
      [
        [2, -0.3, 0.1],
        [-0.3, 5, 1],
        [0.1, 1, 3],
      ],
    ]);
    expectGrad((x) => sum(logdet(x)), a, "batched logdet");
    expectGrad((x) => wsum(cholesky(x).l), a, "batched cholesky");
    expectGrad((x) => wsum(inv(x)), a, "batched inv");
    expectGrad((x) => wsum(qr(x).q), a, "batched qr");
  });
});

describe("non-differentiable routines refuse tracers instead of returning a silent zero derivative", () => {
  it("lu, luSolve, lstsq and qr (complete, or m < n) throw UnsupportedError under grad; stopGradient opts out", () => {
    const a = tensor([
      [3, 1],
      [1, 2],
    ]);
    expect(() => grad((x: Tensor) => sum(lu(x).u))(a)).toThrow(UnsupportedError);
    expect(() => grad((y: Tensor) => sum(luSolve(lu(a), y)))(tensor([1, 2]))).toThrow(UnsupportedError);
    expect(() => grad((x: Tensor) => sum(lstsq(x, [1, 2]).x))(a)).toThrow(/lstsq is not differentiable/);
    expect(() => grad((x: Tensor) => sum(qr(x, { mode: "complete" }).q))(a)).toThrow(UnsupportedError);
    expect(() => grad((x: Tensor) => sum(qr(x).q))(tensor([[1, 2, 3]]))).toThrow(/m ≥ n/);
    const g = grad((x: Tensor) => add(sum(lu(stopGradient(x)).u), sum(x)))(a) as Tensor;
    expectClose(g, [
      [1, 1],
      [1, 1],
    ]);
  });
});

describe("second order (nested transforms)", () => {
  it("logdet: HVP equals finite differences of the gradient, and −tr(a⁻¹ v a⁻¹ v) for symmetric v", () => {
    fc.assert(
      fc.property(
        arbN.chain((n) => fc.tuple(arbSPD(n), arbSPD(n, 0))),
        ([a, v]) => {
          expectHvp((x) => logdet(x), a, v, "logdet hvp");
          // Closed form: d² logdet[v, v] = −tr(a⁻¹ v a⁻¹ v).
          const h = hvp((x) => logdet(x), a, v) as Tensor;
          const vhv = sum(mul(h, v)).item();
          const m = solve(a, v);
          const exact = -sum(mul(m, mT(m))).item();
          expect(close(vhv, exact, { rtol: 1e-8, atol: 1e-10 })).toBe(true);
        },
      ),
      RUNS,
    );
  });
  it("solve, inv, cholesky, qr, det: HVP (forward over reverse) matches finite differences", () => {
    fc.assert(
      fc.property(
        arbN.chain((n) => fc.tuple(arbSPD(n), arbMatrix(n, n))),
        ([a, v]) => {
          const n = a.shape[0]!;
          const b = weight([n, 2]);
          expectHvp((x) => wsum(sin(solve(x, b))), a, v, "solve hvp");
          expectHvp((x) => wsum(sin(inv(x))), a, v, "inv hvp");
          expectHvp((x) => wsum(sin(cholesky(x).l)), a, v, "cholesky hvp");
          // a + (W − Wᵀ) has a positive definite symmetric part (so is invertible) and generic subdiagonals.
          const w = weight([n, n]);
          const s = sub(w, mT(w));
          expectHvp((x) => wsum(sin(qr(add(x, s)).r)), a, v, "qr hvp (r)");
          expectHvp((x) => wsum(sin(qr(add(x, s)).q)), a, v, "qr hvp (q)");
          expectHvp((x) => det(x), a, v, "det hvp");
        },
      ),
      RUNS,
    );
  });
  it("reverse over reverse equals forward over reverse (grad of a directional derivative)", () => {
    const a = tensor([
      [4, 1, 0.3],
      [1, 3, 0.5],
      [0.3, 0.5, 2],
    ]);
    const v = weight([3, 3]);
    const f = (x: Tensor) => wsum(cholesky(x).l);
    const dd = (x: Tensor) => {
      const [, t] = jvp(f, [x], [v]);
      return t as Tensor;
    };
    expectClose(grad(dd)(a) as Tensor, hvp(f, a, v) as Tensor, { rtol: 1e-9, atol: 1e-11 }, "rev∘fwd vs fwd∘rev");
  });
  it("reverse over reverse (grad of ⟨∇f, v⟩) equals forward over reverse for every differentiable function", () => {
    const a = tensor([
      [4, 1, 0.3],
      [1, 3, 0.5],
      [0.3, 0.5, 2],
    ]);
    const v = weight([3, 3]);
    const b = weight([3, 2]);
    const w = weight([3, 3]);
    const skew = sub(w, mT(w));
    const fs: [string, (x: Tensor) => Tensor][] = [
      ["solve", (x) => wsum(sin(solve(x, b)))],
      ["inv", (x) => wsum(sin(inv(x)))],
      ["det", (x) => det(x)],
      ["slogdet", (x) => slogdet(x).logabsdet],
      ["logdet", (x) => logdet(x)],
      ["cholesky", (x) => wsum(sin(cholesky(x).l))],
      ["qr", (x) => add(wsum(sin(qr(add(x, skew)).q)), wsum(qr(add(x, skew)).r))],
      ["solveTriangular", (x) => wsum(sin(solveTriangular(x, b, { lower: true, trans: true })))],
    ];
    for (const [name, f] of fs) {
      const rr = grad((x: Tensor) => sum(mul(grad(f)(x) as Tensor, v)))(a) as Tensor;
      expectClose(rr, hvp(f, a, v) as Tensor, { rtol: 1e-8, atol: 1e-10 }, `${name}: rev∘rev vs fwd∘rev`);
    }
  });
});
