// The fused LogSumExp primitive against the composite max/sub/exp/sum/log reference.
import { expectClose } from "@x/test-utils";
import { describe, expect, it } from "vitest";
import * as X from "../src/index.js";
import { logsumexpComposite } from "../src/ops/reduce.js";

const NI = Number.NEGATIVE_INFINITY;
const PI = Number.POSITIVE_INFINITY;

describe("fused logsumexp", () => {
  const cases: [string, number[], number[]][] = [
    ["plain", [1, 2, 3, -1, 0.5, 4], [2, 3]],
    ["large", [1000, 1001, 999, -1000, -1001, -999], [2, 3]],
    ["with −inf", [NI, 0, 1, NI, NI, NI], [2, 3]],
    ["with +inf", [PI, 0, 1, 2, PI, NI], [2, 3]],
    ["with NaN", [Number.NaN, 0, 1, 2, 3, 4], [2, 3]],
  ];
  for (const [name, d, s] of cases) {
    for (const opts of [{}, { axis: 0 }, { axis: 1 }, { axis: -1, keepDims: true }, { axis: [0, 1] }]) {
      it(`${name} ${JSON.stringify(opts)} matches the composite`, () => {
        const x = X.tensor(d, s);
        const a = X.logsumexp(x, opts);
        const b = logsumexpComposite(x, opts);
        expect(a.shape).toEqual(b.shape);
        const ad = Array.from(a.data);
        const bd = Array.from(b.data);
        ad.forEach((v, i) => {
          const r = bd[i]!;
          if (Number.isNaN(r) || !Number.isFinite(r)) expect(v).toBe(r);
          else expect(Math.abs(v - r)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(r)));
        });
      });
    }
  }

  it("all −inf row gives −inf; empty axis throws like the composite", () => {
    expect(Array.from(X.logsumexp(X.tensor([NI, NI]), {}).data)).toEqual([NI]);
    expect(() => X.logsumexp(X.zeros([2, 0]), { axis: 1 })).toThrow();
  });

  it("gradient and HVP match the composite", () => {
    const x = X.tensor([0.3, -1.2, 2.5, 0.1, 4, -3], [2, 3]);
    const v = X.tensor([1, -0.5, 0.25, 2, 0, 1], [2, 3]);
    const f = (t: X.Tensor) => X.sum(X.mul(X.logsumexp(t, { axis: 1 }), X.tensor([1.5, -2])));
    const g = (t: X.Tensor) => X.sum(X.mul(logsumexpComposite(t, { axis: 1 }), X.tensor([1.5, -2])));
    expectClose(X.grad(f)(x), X.grad(g)(x), { rtol: 1e-12, atol: 1e-12 });
    expectClose(X.hvp(f, x, v), X.hvp(g, x, v), { rtol: 1e-12, atol: 1e-12 });
  });
});
