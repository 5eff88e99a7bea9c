import * as L from "@x/linalg";
import * as X from "@x/tensor";
import { expectClose } from "@x/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { laplace, matern, nystrom, randomFourierFeatures, rbf } from "../src/index.js";

const arbPoints = (n: number, d: number) =>
  fc
    .array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: n * d, maxLength: n * d })
    .map((v) => X.tensor(v, [n, d]));

const maxAbs = (a: X.Tensor) => X.max(X.abs(a)).item();

describe("random Fourier features", () => {
  it("RFF Gram → exact Gram within the Hoeffding bound σ²√(2 log(2n²/δ)/D), δ = 1e-9, for growing D", () => {
    // Each entry of φφᵀ is an average of D i.i.d. terms σ²cos(ωᵀ(x − y)) ∈ [−σ², σ²] (cos/sin pairs), so the
    // bound fails with probability ≤ δ per (data, seed) draw.
    fc.assert(
      fc.property(arbPoints(5, 2), fc.integer({ min: 0, max: 2 ** 30 }), fc.boolean(), (x, seed, orthogonal) => {
        for (const [k, v] of [
          [rbf({ lengthscale: [0.8, 1.5], variance: 1.5 }), 1.5],
          [matern({ nu: 1.5, lengthscale: 0.9 }), 1],
        ] as const) {
          for (const D of [64, 512, 2048]) {
            const rf = randomFourierFeatures(k, 2, { numFeatures: D, seed, orthogonal });
            const F = rf.features(x);
            const err = maxAbs(X.sub(X.matmul(F, X.transpose(F)), k.k(x)));
            const bound = v * Math.sqrt((2 * Math.log((2 * 25) / 1e-9)) / D);
            // Orthogonal blocks are not independent across rows; their variance is lower (Yu et al. 2016), and we
            // hold them to twice the i.i.d. bound.
            expect(err).toBeLessThanOrEqual(orthogonal ? 2 * bound : bound);
          }
        }
      }),
      { numRuns: 4 },
    );
  });

  it("is reproducible by seed and rejects unsupported kernels", () => {
    const a = randomFourierFeatures(rbf(), 3, { numFeatures: 10, seed: 4 }).frequencies;
    const b = randomFourierFeatures(rbf(), 3, { numFeatures: 10, seed: 4 }).frequencies;
    expectClose(a, b, { rtol: 0, atol: 0 });
    expect(() => randomFourierFeatures(laplace(), 2, { numFeatures: 10 })).toThrow(X.UnsupportedError);
    expect(() => randomFourierFeatures(matern({ nu: 1.3 }), 2, { numFeatures: 10 })).toThrow(/half-integer/);
    expect(() => randomFourierFeatures(rbf(), 2, { numFeatures: 0 })).toThrow(/numFeatures/);
    expect(() => randomFourierFeatures(rbf(), 2, { numFeatures: 3 }).features([[1, 2, 3]])).toThrow(
      /expected 2 features/,
    );
  });
});

describe("Nyström", () => {
  it("is exact on the landmarks, leaves a PSD error K − K̃, and is exact with all points", () => {
    fc.assert(
      fc.property(
        arbPoints(8, 2),
        fc.integer({ min: 1, max: 8 }),
        fc.constantFrom("uniform" as const, "leverage" as const),
        fc.integer({ min: 0, max: 1000 }),
        (x, m, sampling, seed) => {
          const k = rbf({ lengthscale: 0.9 });
          const ny = nystrom(k, x, { numLandmarks: m, sampling, seed });
          expect(new Set(ny.landmarks).size).toBe(m);
          const K = k.k(x);
          const Kt = ny.approximate();
          const idx = X.tensor(ny.landmarks);
          const sub = (A: X.Tensor) => X.take(X.take(A, idx, 0), idx, 1);
          expectClose(sub(Kt), sub(K), { rtol: 1e-6, atol: 1e-6 });
          expect(L.eigvalsh(X.sub(K, Kt)).data[0]!).toBeGreaterThanOrEqual(-1e-6);
          if (m === 8) expectClose(Kt, K, { rtol: 1e-6, atol: 1e-6 });
        },
      ),
      { numRuns: 30 },
    );
  });

  it("leverage sampling prefers isolated points (an outlier has the highest ridge leverage)", () => {
    const x = X.tensor([[0], [0.01], [0.02], [0.03], [5]]);
    const ny = nystrom(rbf({ lengthscale: 0.5 }), x, { numLandmarks: 2, sampling: "leverage", lambda: 0.1 });
    const s = Array.from(ny.leverageScores!);
    expect(s.indexOf(Math.max(...s))).toBe(4);
    expect(() => nystrom(rbf(), x, { numLandmarks: 6 })).toThrow(/numLandmarks/);
  });
});
