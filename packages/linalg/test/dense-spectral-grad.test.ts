import { add, matmul, mT, mul, reshape, sum, tensor } from "@x/tensor";
import { arbMatrix, arbOrthogonal } from "@x/test-utils";
import fc from "fast-check";
import { describe, it } from "vitest";
import { eigh, eigvalsh } from "../src/dense/eigh.js";
import { matrixNorm } from "../src/dense/matrix-norm.js";
import { pinv } from "../src/dense/pinv.js";
import { svd, svdvals } from "../src/dense/svd.js";
import { diagOf, expectGrad, expectHvp, symm, weight, wsum } from "./helpers/grad.js";

const RUNS = { numRuns: 6 };
const arbN = fc.integer({ min: 2, max: 4 });

/** Q·diag(d)·Qᵀ with well separated d (gaps ≥ 1). */
const sepSym = (n: number) =>
  arbOrthogonal(n).map((q) => {
    const d = Array.from({ length: n }, (_, i) => 1.5 * i - 1 + 0.1 * Math.sin(i));
    return matmul(q, matmul(diagOf(d), mT(q)));
  });
const arbSepSym = arbN.chain(sepSym);
/** U·diag(s)·Vᵀ (m×n) with distinct singular values ≥ 1. */
const arbSepRect = fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })).chain(([m, n]) =>
  fc.tuple(arbOrthogonal(m), arbOrthogonal(n)).map(([u, v]) => {
    const k = Math.min(m, n);
    const s = new Float64Array(m * n);
    for (let i = 0; i < k; i++) s[i * n + i] = 1 + 1.2 * (k - i);
    return matmul(u, matmul(tensor(s, [m, n]), mT(v)));
  }),
);

describe("eigh derivatives", () => {
  it("eigvalsh: ∑ w ∘ λ(A) and a non-linear function", () => {
    fc.assert(
      fc.property(arbSepSym, (a) => {
        expectGrad((x) => wsum(eigvalsh(symm(x))), a, "wsum eigvalsh");
        expectGrad((x) => sum(mul(eigvalsh(x, { uplo: "L" }), eigvalsh(x, { uplo: "L" }))), a, "sum λ² (uplo L)");
      }),
      RUNS,
    );
  });
  it("eigenvectors: tr(V·diag(c)·Vᵀ·B) and a sign-invariant function of V", () => {
    fc.assert(
      fc.property(arbSepSym, (a) => {
        const n = a.shape[0]!;
        const c = diagOf(Array.from({ length: n }, (_, i) => Math.cos(i + 0.3)));
        const B = weight([n, n]);
        expectGrad(
          (x) => {
            const { vectors: v } = eigh(symm(x));
            return sum(mul(matmul(v, matmul(c, mT(v))), mT(B)));
          },
          a,
          "tr(V C Vᵀ B)",
        );
        // (Vᵀ B V)² entrywise does not depend on the sign of each eigenvector.
        expectGrad(
          (x) => {
            const { values, vectors: v } = eigh(symm(x));
            const m = matmul(mT(v), matmul(B, v));
            return add(sum(mul(m, m)), sum(values));
          },
          a,
          "‖VᵀBV‖² + Σλ",
        );
      }),
      RUNS,
    );
  });
  it("second order: HVP of ∑ w ∘ λ(A) and of ∑ λ³ vs differences of the gradient", () => {
    fc.assert(
      fc.property(
        arbSepSym.chain((a) => fc.tuple(fc.constant(a), arbMatrix(a.shape[0]!, a.shape[0]!))),
        ([a, v]) => {
          expectHvp((x) => wsum(eigvalsh(symm(x))), a, v, "hvp wsum eigvalsh");
          expectHvp(
            (x) => {
              const l = eigvalsh(symm(x));
              return sum(mul(l, mul(l, l)));
            },
            a,
            v,
            "hvp Σλ³",
          );
        },
      ),
      RUNS,
    );
  });
});

describe("batched derivatives", () => {
  it("eigh and svd over a leading batch axis", () => {
    fc.assert(
      fc.property(
        arbN.chain((n) => fc.tuple(sepSym(n), sepSym(n))),
        ([a, b]) => {
          const n = a.shape[0]!;
          const ab = tensor([...a.data, ...b.data], [2, n, n]);
          expectGrad((x) => wsum(eigvalsh(symm(x))), ab, "batched eigvalsh");
          expectGrad(
            (x) => {
              const v = eigh(symm(x)).vectors;
              return wsum(mul(v, v));
            },
            ab,
            "batched eigenvectors",
          );
          expectGrad((x) => wsum(svdvals(x)), ab, "batched svdvals");
          expectGrad(
            (x) => {
              const { u, vt } = svd(x);
              return wsum(matmul(u, vt));
            },
            ab,
            "batched U Vᵀ",
          );
        },
      ),
      RUNS,
    );
  });
});

describe("svd derivatives", () => {
  it("svdvals, nuclear norm and singular vectors (square, tall, wide)", () => {
    fc.assert(
      fc.property(arbSepRect, (a) => {
        expectGrad((x) => wsum(svdvals(x)), a, "wsum svdvals");
        expectGrad((x) => matrixNorm(x, "nuc"), a, "nuclear norm");
        const [m, n] = a.shape as [number, number];
        const Bm = weight([m, m]);
        const Bn = weight([n, n]);
        expectGrad(
          (x) => {
            const { u, s, vt } = svd(x);
            const pu = matmul(mul(u, reshape(s, [1, -1])), mT(u)); // U diag(s) Uᵀ: sign-invariant
            const pv = matmul(mT(vt), vt);
            return add(sum(mul(pu, Bm)), sum(mul(matmul(pv, pv), Bn)));
          },
          a,
          "U diag(s) Uᵀ, V Vᵀ",
        );
        expectGrad(
          (x) => {
            const { u, vt } = svd(x);
            const k = u.shape[1]!;
            const c = diagOf(Array.from({ length: k }, (_, i) => 1 + i));
            return sum(mul(matmul(u, matmul(c, vt)), weight([m, n])));
          },
          a,
          "U C Vᵀ",
        );
      }),
      RUNS,
    );
  });
  it("second order: HVP of ∑ s² ... and pinv is differentiable at full rank", () => {
    fc.assert(
      fc.property(
        arbSepRect.chain((a) => fc.tuple(fc.constant(a), arbMatrix(a.shape[0]!, a.shape[1]!))),
        ([a, v]) => {
          expectHvp((x) => wsum(svdvals(x)), a, v, "hvp wsum svdvals");
          expectGrad((x) => wsum(pinv(x)), a, "pinv");
        },
      ),
      RUNS,
    );
  });
});
