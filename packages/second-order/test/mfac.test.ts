import { solve } from "@x/linalg";
import * as X from "@x/tensor";
import { arbValues } from "@x/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MfacPreconditioner, mfac } from "../src/optim/mfac.js";
import { maxAbsDiff } from "./problems.js";

const arbCase = fc
  .tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 5 }))
  .chain(([n, m]) =>
    fc.tuple(
      fc.array(arbValues(n, { min: -2, max: 2 }), { minLength: m, maxLength: m + 3 }),
      arbValues(n, { min: -2, max: 2 }),
      fc.double({ min: 0.05, max: 2, noNaN: true }),
      fc.constant(m),
    ),
  );

describe("mfac", () => {
  it("Woodbury IHVP equals the dense solve (λI + (1/m)Σ gᵢgᵢᵀ)⁻¹v over the last m gradients", () => {
    fc.assert(
      fc.property(arbCase, ([gs, v, lam, m]) => {
        const n = v.length;
        const p = new MfacPreconditioner({ damping: lam, bufferSize: m });
        for (const g of gs) p.add(Float64Array.from(g));
        const kept = gs.slice(-m);
        expect(p.grads.length).toBe(kept.length);
        const F = new Float64Array(n * n);
        for (let i = 0; i < n; i++) {
          F[i * n + i] = lam;
          for (const g of kept) for (let j = 0; j < n; j++) F[i * n + j]! += (g[i]! * g[j]!) / kept.length;
        }
        const dense = solve(X.tensor(F, [n, n]), X.tensor(v)).data;
        const got = p.ihvp(Float64Array.from(v));
        const scale = Math.max(1, ...Array.from(dense, Math.abs));
        expect(maxAbsDiff(got, dense)).toBeLessThan(1e-9 * scale);
      }),
    );
  });

  it("as an optimiser, the update is −η F⁻¹g over pytrees and rejects bad options", () => {
    const opt = mfac({ learningRate: 0.5, damping: 1, bufferSize: 4 });
    const params = { a: X.zeros([2]), b: X.zeros([1]) };
    const grads = { a: X.tensor([1, 2]), b: X.tensor([2]) };
    const r = opt.update(grads, opt.init(params), params);
    // F = I + ggᵀ, F⁻¹g = g/(1 + ‖g‖²) = g/10
    const u = r.updates as { a: X.Tensor; b: X.Tensor };
    expect(maxAbsDiff([...u.a.data, ...u.b.data], [-0.05, -0.1, -0.1])).toBeLessThan(1e-14);
    expect(() => new MfacPreconditioner({ damping: 0 })).toThrow(/damping/);
    expect(() => new MfacPreconditioner({ bufferSize: 0 })).toThrow(/bufferSize/);
    const p = new MfacPreconditioner();
    p.add(new Float64Array(3));
    expect(() => p.add(new Float64Array(2))).toThrow(/entries/);
  });
});
