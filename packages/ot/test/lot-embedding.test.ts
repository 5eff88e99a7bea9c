import * as X from "@x/tensor";
import { arbSimplex, expectClose } from "@x/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dist, emd, lotDistance, lotEmbedding } from "../src/index.js";

// Distinct points on a jittered grid, so the identity is the unique zero-cost self-plan.
const arbCloud = (n: number) =>
  fc
    .array(fc.double({ min: -0.3, max: 0.3, noNaN: true }), { minLength: 2 * n, maxLength: 2 * n })
    .map((e) => Array.from({ length: n }, (_, i) => [i + e[2 * i]!, (i % 3) + e[2 * i + 1]!]));
const arbShift = fc.tuple(fc.double({ min: -2, max: 2, noNaN: true }), fc.double({ min: -2, max: 2, noNaN: true }));

describe("LOT embedding", () => {
  it("embeds the reference as the identity map (zero displacement) (property)", () => {
    fc.assert(
      fc.property(arbCloud(6), arbSimplex(6, 0.05), (x, a) => {
        const r = lotEmbedding({ points: x, weights: a }, [{ points: x, weights: a }]);
        expectClose(r.maps[0]!, X.tensor(x), { atol: 1e-9 });
        expect(Math.max(...r.displacements[0]!.data.map(Math.abs))).toBeLessThan(1e-9);
      }),
      { numRuns: 30 },
    );
  });

  it("LOT distance equals W₂ for translates of the reference (property)", () => {
    fc.assert(
      fc.property(arbCloud(6), arbSimplex(6, 0.05), arbShift, arbShift, (x, a, s, t) => {
        const ys = x.map(([p, q]) => [p! + s[0], q! + s[1]]);
        const yt = x.map(([p, q]) => [p! + t[0], q! + t[1]]);
        const r = lotEmbedding({ points: x, weights: a }, [
          { points: ys, weights: a },
          { points: yt, weights: a },
        ]);
        const w2 = Math.sqrt(emd(a, a, dist(ys, yt)).cost);
        expectClose(lotDistance(r.maps[0]!, r.maps[1]!, r.referenceWeights), w2, { atol: 1e-7, rtol: 1e-7 });
        expectClose(lotDistance(r.maps[0]!, X.tensor(x), r.referenceWeights), Math.hypot(s[0], s[1]), {
          atol: 1e-7,
          rtol: 1e-7,
        });
      }),
      { numRuns: 30 },
    );
  });

  it("rejects a dimension mismatch", () => {
    expect(() => lotEmbedding({ points: [[0, 0]] }, [{ points: [[0, 0, 0]] }])).toThrow(/dimension 3/);
  });
});
