import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as X from "@x/tensor";
import { arbSimplex, expectClose } from "@x/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { partialWasserstein1d, wasserstein1d } from "../src/index.js";

const fx: any = JSON.parse(
  readFileSync(fileURLToPath(new URL("./fixtures/ot-partial1d.json", import.meta.url)), "utf8"),
);
const pts = (n: number) => fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: n, maxLength: n });

describe("partial 1-D Wasserstein", () => {
  it("matches POT partial_wasserstein on 1-D samples", () => {
    for (const c of fx.cases) {
      const r = partialWasserstein1d(c.u, c.v, c.m, { uWeights: c.a, vWeights: c.b, p: c.p });
      expectClose(r.cost, c.cost, { rtol: 1e-9, atol: 1e-12 });
      expectClose(r.plan, c.plan, { atol: 1e-9 });
    }
  });

  it("full mass equals the sorting-based wasserstein1d (property)", () => {
    fc.assert(
      fc.property(pts(5), pts(4), arbSimplex(5, 0.02), arbSimplex(4, 0.02), fc.constantFrom(1, 2), (u, v, a, b, p) => {
        const r = partialWasserstein1d(u, v, undefined, { uWeights: a, vWeights: b, p });
        expectClose(r.cost, wasserstein1d(u, v, a, b, p).item(), { rtol: 1e-9, atol: 1e-10 });
      }),
      { numRuns: 40 },
    );
  });

  it("moves exactly m, respects both marginals, cost grows with m (property)", () => {
    fc.assert(
      fc.property(pts(5), pts(6), fc.double({ min: 0.05, max: 0.95, noNaN: true }), (u, v, frac) => {
        const r = partialWasserstein1d(u, v, frac, { p: 2 });
        expect(Math.abs(X.sum(r.plan).item() - frac)).toBeLessThan(1e-10);
        X.sum(r.plan, { axis: 1 }).data.forEach((s) => expect(s).toBeLessThanOrEqual(1 / 5 + 1e-12));
        X.sum(r.plan, { axis: 0 }).data.forEach((s) => expect(s).toBeLessThanOrEqual(1 / 6 + 1e-12));
        const bigger = partialWasserstein1d(u, v, Math.min(1, frac + 0.05), { p: 2 });
        expect(bigger.cost).toBeGreaterThanOrEqual(r.cost - 1e-12);
      }),
      { numRuns: 40 },
    );
  });

  it("rejects non-finite samples and m above the smaller mass", () => {
    expect(() => partialWasserstein1d([0, Number.NaN], [1], 0.5)).toThrow(/u must be finite/);
    expect(() => partialWasserstein1d([0, 1], [1], 2)).toThrow(/m must be in/);
  });
});
