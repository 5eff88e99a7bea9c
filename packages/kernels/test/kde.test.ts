import * as X from "@x/tensor";
import { expectClose } from "@x/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { kde, meanShift } from "../src/index.js";
import ref from "./fixtures/kde.json";

describe("KDE vs scipy.stats.gaussian_kde", () => {
  for (const c of ref.cases) {
    it(`bandwidth ${c.bandwidth}: factor and log-density (incl. a query 40σ away)`, () => {
      const k = kde(ref.data, { bandwidth: c.bandwidth as "scott" | "silverman" | number });
      expectClose([k.factor], [c.factor], { rtol: 1e-12, atol: 0 });
      expectClose(k.logPdf(ref.queries), c.logpdf, { rtol: 1e-10, atol: 1e-10 });
    });
  }

  it("LOO bandwidth maximises the leave-one-out likelihood (better than Scott's and nearby factors)", () => {
    const loo = kde(ref.data, { bandwidth: "loo" });
    // Σ(h) = h²·Cov; the LOO log-likelihood Σᵢ log( 1/(n−1) Σ_{j≠i} N(xᵢ; xⱼ, Σ(h)) ), computed naively in 2-D.
    const cov = X.div(loo.covariance, loo.factor ** 2).data;
    const score = (h: number) => {
      const [a, b, c, d] = Array.from(cov, (v) => v * h * h);
      const det = a! * d! - b! * c!;
      const inv = [d! / det, -b! / det, -c! / det, a! / det];
      let s = 0;
      ref.data.forEach((q, i) => {
        const terms = ref.data
          .filter((_, j) => j !== i)
          .map((p) => {
            const [u, v] = [q[0]! - p[0]!, q[1]! - p[1]!];
            return -0.5 * (u * (inv[0]! * u + inv[1]! * v) + v * (inv[2]! * u + inv[3]! * v));
          });
        const mx = Math.max(...terms);
        s +=
          mx +
          Math.log(terms.reduce((acc, t) => acc + Math.exp(t - mx), 0) / terms.length) -
          0.5 * Math.log((2 * Math.PI) ** 2 * det);
      });
      return s;
    };
    const best = score(loo.factor);
    for (const f of [0.8, 1.25]) expect(best).toBeGreaterThanOrEqual(score(loo.factor * f));
    expect(best).toBeGreaterThanOrEqual(score(kde(ref.data).factor) - 1e-9);
  });

  it("bad input", () => {
    expect(() => kde([[1, 2]])).toThrow(/at least 2/);
    expect(() =>
      kde([
        [1, 1],
        [2, 2],
        [3, 3],
      ]),
    ).toThrow(/singular/);
    expect(() => kde(ref.data, { bandwidth: -1 })).toThrow(/bandwidth/);
    expect(() => kde(ref.data).logPdf([[1]])).toThrow(X.ShapeError);
    expect(() => meanShift(ref.data, { bandwidth: 0 })).toThrow(/bandwidth/);
  });
});

describe("mean-shift", () => {
  it("never decreases the KDE along its iterates and finds both modes of a two-cluster sample", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 2, maxLength: 2 }),
        fc.double({ min: 0.3, max: 1.5, noNaN: true }),
        (start, h) => {
          const k = kde(ref.data, { bandwidth: 0.4 });
          // Mean-shift's ascent theorem is for the isotropic kernel of bandwidth h; evaluate that density directly.
          const dens = (p: number[]) =>
            ref.data.reduce(
              (acc, q) => acc + Math.exp(-((p[0]! - q[0]!) ** 2 + (p[1]! - q[1]!) ** 2) / (2 * h * h)),
              0,
            );
          let prev = dens(start);
          for (let it = 1; it <= 5; it++) {
            const p = Array.from(
              meanShift(ref.data, { bandwidth: h, starts: [start], maxIter: it, tol: 0 }).points.data,
            );
            const cur = dens(p);
            expect(cur).toBeGreaterThanOrEqual(prev * (1 - 1e-12));
            prev = cur;
          }
          expect(k.factor).toBe(0.4);
        },
      ),
      { numRuns: 20 },
    );
    const r = meanShift(ref.data, { bandwidth: 0.8 });
    expect(r.converged).toBe(true);
    expect(r.modes.shape[0]).toBeGreaterThanOrEqual(2);
  });
});
