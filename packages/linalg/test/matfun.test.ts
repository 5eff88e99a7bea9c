import {
  add,
  exp,
  eye,
  grad,
  hessian,
  hvp,
  LinearOperator,
  matmul,
  mT,
  mul,
  neg,
  ShapeError,
  sqrt,
  type Tensor,
  tensor,
  ValueError,
} from "@x/tensor";
import { adjointCheck, arbMatrix, arbOrthogonal, arbSPD, close, expectClose, gradCheck } from "@x/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { eigvalsh } from "../src/dense/eigh.js";
import { chebyshevFunmv, expm, expmFrechet, funm, logm, newtonSchulz, powm, sqrtm } from "../src/matfun/index.js";
import fx from "./fixtures/linalg-matfun.json";
import { diagOf, expectHvp, symm, weight, wsum } from "./helpers/grad.js";

const RUNS = { numRuns: 20 };
const arbN = fc.integer({ min: 1, max: 5 });
/** The m×n matrix with ones on the main diagonal. */
const padEye = (m: number, n: number) =>
  tensor(Array.from({ length: m }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))));

describe("expm", () => {
  it("closed forms: diagonal, nilpotent, rotation generator", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 1, maxLength: 5 }), (d) => {
        expectClose(expm(diagOf(d)), diagOf(d.map(Math.exp)), { rtol: 1e-13, atol: 1e-15 });
      }),
      RUNS,
    );
    // Strictly upper triangular N (N³ = 0): e^N = I + N + N²/2.
    const N = tensor([
      [0, 2, -3],
      [0, 0, 5],
      [0, 0, 0],
    ]);
    expectClose(expm(N), add(add(eye(3), N), mul(0.5, matmul(N, N))), { atol: 1e-14 });
    fc.assert(
      fc.property(fc.double({ min: -20, max: 20, noNaN: true }), (t) => {
        const g = tensor([
          [0, -t],
          [t, 0],
        ]);
        expectClose(
          expm(g),
          [
            [Math.cos(t), -Math.sin(t)],
            [Math.sin(t), Math.cos(t)],
          ],
          { atol: 1e-12 * Math.max(1, Math.abs(t)) },
        );
      }),
      RUNS,
    );
  });

  it("expm(A)·expm(−A) = I and expm(Aᵀ) = expm(A)ᵀ", () => {
    fc.assert(
      fc.property(
        arbN.chain((n) => arbMatrix(n, n, { min: -2, max: 2 })),
        (a) => {
          const n = a.shape[0]!;
          expectClose(matmul(expm(a), expm(neg(a))), eye(n), { rtol: 1e-9, atol: 1e-9 });
          expectClose(expm(mT(a)), mT(expm(a)), { rtol: 1e-12, atol: 1e-13 });
        },
      ),
      RUNS,
    );
  });

  it("matches scipy.linalg.expm for every Padé degree (‖A‖₁ from 1e-3 to 40)", () => {
    for (const c of fx.expm) expectClose(expm(c.a), c.expm, { rtol: 1e-12, atol: 1e-14 }, `‖A‖₁=${c.norm1}`);
  });

  it("Fréchet derivative matches scipy.linalg.expm_frechet", () => {
    const r = expmFrechet(fx.frechet.a, fx.frechet.e);
    expectClose(r.expm, fx.frechet.expm, { rtol: 1e-12, atol: 1e-14 });
    expectClose(r.frechet, fx.frechet.frechet, { rtol: 1e-11, atol: 1e-13 });
  });

  it("batched input is applied per matrix", () => {
    const a = tensor([fx.expm[1]!.a, fx.expm[2]!.a]);
    const e = expm(a);
    expect(e.shape).toEqual([2, 4, 4]);
    expectClose(e, [fx.expm[1]!.expm, fx.expm[2]!.expm], { rtol: 1e-12, atol: 1e-14 });
  });

  it("gradCheck and adjoint identity of sum(W ∘ expm(A))", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((n) => arbMatrix(n, n, { min: -1.5, max: 1.5 })),
        (a) => {
          const f = (x: Tensor) => wsum(expm(x));
          const r = gradCheck(f, a, { rtol: 1e-6, atol: 1e-8 });
          if (!r.ok) throw new Error(r.details);
          const { lhs, rhs } = adjointCheck((x) => expm(x), a, 1);
          expect(close(lhs, rhs, { rtol: 1e-10, atol: 1e-10 })).toBe(true);
        },
      ),
      { numRuns: 10 },
    );
  });

  it("HVP of sum(W ∘ expm(A)) matches finite differences of the gradient (nested rule)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }).chain((n) => fc.tuple(arbMatrix(n, n), arbMatrix(n, n))),
        ([a, v]) => {
          expectHvp((x) => wsum(expm(x)), a, v, "hvp expm");
        },
      ),
      { numRuns: 6 },
    );
  });

  it("gradient of a batched expm", () => {
    const a = tensor([
      [
        [0.3, -0.7],
        [1.1, 0.2],
      ],
      [
        [-1, 0.4],
        [0.1, 2],
      ],
    ]);
    const r = gradCheck((x) => wsum(expm(x)), a, { rtol: 1e-6, atol: 1e-8 });
    if (!r.ok) throw new Error(r.details);
  });

  it("reverse-over-reverse Hessian of sum(W ∘ expm(A)) is symmetric and matches forward-over-reverse", () => {
    const a = tensor([
      [0.3, -0.7],
      [1.1, 0.2],
    ]);
    const f = (x: Tensor) => wsum(expm(x));
    const H = hessian(f)(a) as Tensor;
    const Hm = tensor(H.data, [4, 4]);
    expectClose(Hm, mT(Hm), { rtol: 1e-9, atol: 1e-11 });
    const v = tensor([
      [1, -2],
      [0.5, 3],
    ]);
    expectClose(matmul(Hm, tensor(v.data, [4])), tensor((hvp(f, a, v) as Tensor).data, [4]), {
      rtol: 1e-9,
      atol: 1e-11,
    });
  });

  it("rejects a non-square matrix and NaN", () => {
    expect(() =>
      expm([
        [1, 2, 3],
        [4, 5, 6],
      ]),
    ).toThrow(ShapeError);
    expect(() =>
      expm([
        [1, Number.NaN],
        [0, 1],
      ]),
    ).toThrow(/expm: a must be finite/);
    expect(() => expmFrechet(eye(2), eye(3))).toThrow(ShapeError);
  });
});

describe("sqrtm, logm, powm, funm (symmetric)", () => {
  it("sqrtm(A)² = A and sqrtm is symmetric positive definite", () => {
    fc.assert(
      fc.property(
        arbN.chain((n) => arbSPD(n)),
        (a) => {
          const r = sqrtm(a);
          expectClose(matmul(r, r), a, { rtol: 1e-10, atol: 1e-11 });
          expectClose(r, mT(r), { atol: 1e-13 });
        },
      ),
      RUNS,
    );
  });

  it("logm(expm(S)) = S for symmetric S, and expm(logm(A)) = A", () => {
    fc.assert(
      fc.property(
        arbN.chain((n) => arbMatrix(n, n, { min: -1.5, max: 1.5 })),
        (x) => {
          const s = symm(x);
          expectClose(logm(symm(expm(s))), s, { rtol: 1e-9, atol: 1e-10 });
        },
      ),
      RUNS,
    );
    fc.assert(
      fc.property(
        arbN.chain((n) => arbSPD(n)),
        (a) => {
          expectClose(expm(logm(a)), a, { rtol: 1e-10, atol: 1e-11 });
        },
      ),
      RUNS,
    );
  });

  it("matches scipy sqrtm, logm and fractional_matrix_power", () => {
    for (const c of fx.spd) {
      expectClose(sqrtm(c.a), c.sqrtm, { rtol: 1e-10, atol: 1e-12 }, "sqrtm");
      expectClose(logm(c.a), c.logm, { rtol: 1e-10, atol: 1e-12 }, "logm");
      expectClose(powm(c.a, 0.3), c["pow_0.3"], { rtol: 1e-10, atol: 1e-12 }, "powm 0.3");
      expectClose(powm(c.a, -0.25), c["pow_-0.25"], { rtol: 1e-10, atol: 1e-12 }, "powm -0.25");
    }
  });

  it("funm with exp equals expm on symmetric matrices", () => {
    fc.assert(
      fc.property(
        arbN.chain((n) => arbMatrix(n, n)),
        (x) => {
          const s = symm(x);
          expectClose(funm(s, exp), expm(s), { rtol: 1e-10, atol: 1e-12 }, "funm exp");
          expectClose(funm(s, exp, { fPrime: exp }), expm(s), { rtol: 1e-10, atol: 1e-12 }, "funm exp (fPrime)");
        },
      ),
      RUNS,
    );
  });

  it("gradients: Daleckii–Krein rule vs finite differences, also at a repeated eigenvalue", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((n) => arbSPD(n, 1)),
        (a) => {
          for (const [name, fn] of [
            ["sqrtm", sqrtm],
            ["logm", logm],
          ] as const) {
            const r = gradCheck((x) => wsum(fn(symm(x))), a, { rtol: 1e-5, atol: 1e-7 });
            if (!r.ok) throw new Error(`${name}: ${r.details}`);
          }
        },
      ),
      { numRuns: 8 },
    );
    // A = 2I has one repeated eigenvalue: d sqrtm = dA/(2√2), finite everywhere.
    const g = grad((x: Tensor) => wsum(sqrtm(symm(x))))(mul(2, eye(3))) as Tensor;
    expectClose(g, mul(symm(weight([3, 3])), 1 / (2 * Math.SQRT2)), { rtol: 1e-10, atol: 1e-12 });
  });

  it("HVP of sum(W ∘ logm(A)) matches finite differences (distinct eigenvalues)", () => {
    // Second derivatives go through eigh's eigenvector derivative, defined for a simple spectrum only.
    const sepSpd = (n: number) =>
      arbOrthogonal(n).map((q) => matmul(q, matmul(diagOf(Array.from({ length: n }, (_, i) => 1 + i)), mT(q))));
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 3 }).chain((n) => fc.tuple(sepSpd(n), arbMatrix(n, n))),
        ([a, v]) => {
          expectHvp((x) => wsum(logm(symm(x))), a, symm(v), "hvp logm");
        },
      ),
      { numRuns: 5 },
    );
  });

  it("rejects non-square, non-symmetric and non-SPD input with typed errors", () => {
    expect(() => sqrtm([[1, 2, 3]])).toThrow(ShapeError);
    expect(() =>
      sqrtm([
        [1, 2],
        [0, 1],
      ]),
    ).toThrow(/symmetric/);
    expect(() =>
      sqrtm([
        [1, 0],
        [0, -1],
      ]),
    ).toThrow(ValueError);
    expect(() =>
      logm([
        [1, 0],
        [0, 0],
      ]),
    ).toThrow(/positive definite/);
    expect(() => powm(eye(2), Number.NaN)).toThrow(ValueError);
    expect(() => funm([[1, 2]], (x) => x)).toThrow(ShapeError);
  });
});

describe("chebyshevFunmv", () => {
  it("matches funm(A)·v for exp, sqrt and 1/x on SPD matrices (operator form)", () => {
    fc.assert(
      fc.property(
        arbN.chain((n) => fc.tuple(arbSPD(n, 0.5), arbMatrix(1, n))),
        ([a, v0]) => {
          const n = a.shape[0]!;
          const v = tensor(v0.data, [n]);
          const w = eigvalsh(a).data;
          const bounds = [w[0]! * 0.99, w[n - 1]! * 1.01 + 1e-3] as const;
          const op = LinearOperator.fromDense(a, { symmetric: true });
          for (const [f, ft] of [
            [Math.exp, exp],
            [Math.sqrt, sqrt],
          ] as const) {
            expectClose(chebyshevFunmv(op, f, v, { bounds, degree: 60 }), matmul(funm(a, ft), v), {
              rtol: 1e-8,
              atol: 1e-9,
            });
          }
        },
      ),
      RUNS,
    );
  });

  it("rejects bad bounds and a non-square operator", () => {
    expect(() => chebyshevFunmv(eye(2), Math.exp, [1, 1], { bounds: [1, 0] })).toThrow(ValueError);
    expect(() => chebyshevFunmv([[1, 2, 3]], Math.exp, [1, 1, 1], { bounds: [0, 1] })).toThrow(ShapeError);
  });
});

describe("newtonSchulz", () => {
  it("inverse: converges to A⁻¹ and the residual squares each step once below 1", () => {
    fc.assert(
      fc.property(
        arbN.chain((n) => arbSPD(n, 1)),
        (a) => {
          const r = newtonSchulz(a, { kind: "inverse", tol: 1e-11 });
          expect(r.converged).toBe(true);
          expectClose(matmul(a, r.x), eye(a.shape[0]!), { atol: 1e-10 });
          const h = r.residualNorms;
          for (let k = 0; k + 1 < h.length; k++) {
            // ‖I − A X_{k+1}‖_F = ‖(I − A X_k)²‖_F ≤ ‖I − A X_k‖_F², up to rounding.
            if (h[k]! < 1) expect(h[k + 1]!).toBeLessThanOrEqual(h[k]! ** 2 * (1 + 1e-6) + 1e-13);
          }
        },
      ),
      RUNS,
    );
  });

  it("inverse of a non-symmetric matrix", () => {
    fc.assert(
      fc.property(
        arbN.chain((n) => arbMatrix(n, n).map((m) => add(m, mul(3 * n, eye(n))))),
        (a) => {
          const r = newtonSchulz(a, { tol: 1e-11 });
          expect(r.converged).toBe(true);
          expectClose(matmul(a, r.x), eye(a.shape[0]!), { atol: 1e-10 });
        },
      ),
      RUNS,
    );
  });

  it("polar: X has orthonormal columns and Xᵀ A is symmetric positive definite", () => {
    fc.assert(
      fc.property(
        fc
          .tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 2 }))
          .chain(([n, extra]) => arbMatrix(n + extra, n).map((m) => add(m, mul(2, padEye(n + extra, n))))),
        (a) => {
          const n = a.shape[1]!;
          const r = newtonSchulz(a, { kind: "polar", tol: 1e-11, maxIter: 200 });
          expect(r.converged).toBe(true);
          expectClose(matmul(mT(r.x), r.x), eye(n), { atol: 1e-10 });
          const h = matmul(mT(r.x), a);
          expectClose(h, mT(h), { atol: 1e-9 });
        },
      ),
      RUNS,
    );
  });

  it("invRoot: X^p A = I for SPD A and p = 1…4, matching powm(A, −1/p)", () => {
    fc.assert(
      fc.property(
        fc.tuple(
          arbN.chain((n) => arbSPD(n, 0.5)),
          fc.integer({ min: 1, max: 4 }),
        ),
        ([a, p]) => {
          const r = newtonSchulz(a, { kind: "invRoot", p, tol: 1e-11, maxIter: 200 });
          expect(r.converged).toBe(true);
          expectClose(r.x, powm(a, -1 / p), { rtol: 1e-8, atol: 1e-9 });
        },
      ),
      RUNS,
    );
  });

  it("stops with converged = false at maxIter and rejects bad input", () => {
    const r = newtonSchulz(tensor(fx.spd[2]!.a), { maxIter: 2 });
    expect(r.converged).toBe(false);
    expect(r.iterations).toBe(2);
    expect(r.residualNorms).toHaveLength(3);
    expect(() => newtonSchulz([[1, 2, 3]])).toThrow(ShapeError);
    expect(() => newtonSchulz(eye(2), { kind: "cube" as "inverse" })).toThrow(ValueError);
    expect(() =>
      newtonSchulz(
        [
          [1, 0],
          [0, -1],
        ],
        { kind: "invRoot", p: 2 },
      ),
    ).toThrow(/positive definite/);
    expect(() => newtonSchulz(eye(2), { kind: "invRoot", p: 1.5 })).toThrow(ValueError);
  });
});
