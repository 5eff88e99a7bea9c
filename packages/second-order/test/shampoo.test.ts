import * as X from "@x/tensor";
import { arbValues } from "@x/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { shampoo } from "../src/optim/shampoo.js";
import { applyUpdates } from "../src/optim/tree.js";
import { maxAbsDiff } from "./problems.js";

describe("shampoo", () => {
  it("with diagonal gradients it is AdaGrad: −η gᵢᵢ/√(ε + Σ gᵢᵢ²)", () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 4 })
          .chain((k) => fc.array(arbValues(k, { min: -2, max: 2 }), { minLength: 1, maxLength: 4 })),
        (gs) => {
          const k = gs[0]!.length;
          const opt = shampoo({ learningRate: 0.3, eps: 1e-3 });
          const p = { w: X.zeros([k, k]) };
          let s = opt.init(p);
          let u: X.Tensor = X.zeros([k, k]);
          const acc = new Float64Array(k).fill(1e-3);
          for (const g of gs) {
            const G = new Float64Array(k * k);
            g.forEach((v, i) => {
              G[i * k + i] = v;
              acc[i]! += v * v;
            });
            const r = opt.update({ w: X.tensor(G, [k, k]) }, s);
            s = r.state;
            u = (r.updates as { w: X.Tensor }).w;
          }
          const last = gs[gs.length - 1]!;
          const want = new Float64Array(k * k);
          for (let i = 0; i < k; i++) want[i * k + i] = (-0.3 * last[i]!) / Math.sqrt(acc[i]!);
          expect(maxAbsDiff(u.data, want)).toBeLessThan(1e-9);
        },
      ),
    );
  });

  it("a vector parameter's first step is −η g/√(ε + ‖g‖²) (full-matrix AdaGrad)", () => {
    fc.assert(
      fc.property(arbValues(4, { min: -2, max: 2 }), (g) => {
        const opt = shampoo({ learningRate: 0.5, eps: 1e-2 });
        const p = X.zeros([4]);
        const r = opt.update(X.tensor(g), opt.init(p));
        const nrm = Math.sqrt(1e-2 + g.reduce((a, v) => a + v * v, 0));
        expect(
          maxAbsDiff(
            (r.updates as X.Tensor).data,
            g.map((v) => (-0.5 * v) / nrm),
          ),
        ).toBeLessThan(1e-9);
      }),
    );
  });

  it("decreases a separable quadratic over a matrix parameter", () => {
    fc.assert(
      fc.property(arbValues(6, { min: -1, max: 1 }), arbValues(6, { min: 0.5, max: 2 }), (t, c) => {
        const f = (w: Float64Array) => w.reduce((a, v, i) => a + 0.5 * c[i]! * (v - t[i]!) ** 2, 0);
        const opt = shampoo({ learningRate: 0.1 });
        let p: X.PyTree = X.zeros([2, 3]);
        let s = opt.init(p);
        const f0 = f(new Float64Array(6));
        fc.pre(f0 > 1e-3);
        for (let k = 0; k < 200; k++) {
          const w = (p as X.Tensor).data;
          const r = opt.update(
            X.tensor(
              w.map((v, i) => c[i]! * (v - t[i]!)),
              [2, 3],
            ),
            s,
          );
          p = applyUpdates(p, r.updates);
          s = r.state;
        }
        expect(f((p as X.Tensor).data)).toBeLessThan(0.5 * f0);
      }),
      { numRuns: 30 },
    );
  });
});
