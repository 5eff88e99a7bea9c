import { ValueError } from "@x/tensor";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { forward, gradient, localLipschitz, sequential } from "../src/index.js";
import { arbBox, arbNetwork, samplePoints } from "./helpers/random-net.js";

const pnorm = (v: number[], p: "inf" | "2" | "1") =>
  p === "inf" ? Math.max(...v.map(Math.abs)) : p === "1" ? v.reduce((a, x) => a + Math.abs(x), 0) : Math.hypot(...v);

describe("localLipschitz", () => {
  it("is exact where every ReLU is stable, and covers both slopes where one is not", () => {
    // f(x) = 3·relu(2x₀ − x₁): on x₀ ∈ [1, 2], x₁ ∈ [0, 1] the ReLU is active, ∇f = [6, −3]
    const net = sequential([{ W: [[2, -1]] }, { W: [[3]] }], [{ kind: "relu" }]);
    const act = localLipschitz(net, { lower: [1, 0], upper: [2, 1] });
    expect(act.bound.data[0]).toBeCloseTo(9, 12); // ‖[6, −3]‖₁ for the ℓ∞ input norm
    expect(localLipschitz(net, { lower: [1, 0], upper: [2, 1] }, { norm: "2" }).bound.data[0]).toBeCloseTo(
      Math.hypot(6, 3),
      12,
    );
    // around the kink the gradient is [0, 0] or [6, −3]: the interval covers both
    const kink = localLipschitz(net, { lower: [-1, -1], upper: [1, 1] });
    expect(kink.gradLower.data[0]).toBeLessThanOrEqual(0);
    expect(kink.gradUpper.data[0]).toBeGreaterThanOrEqual(6);
    expect(kink.gradLower.data[1]).toBeLessThanOrEqual(-3);
  });

  it("rejects a bad norm", () => {
    const net = sequential([{ W: [[1]] }, { W: [[1]] }]);
    expect(() => localLipschitz(net, { lower: [0], upper: [1] }, { norm: "3" as never })).toThrow(ValueError);
  });

  for (const p of ["inf", "2", "1"] as const) {
    it(`bounds every sampled finite-difference slope (ℓ${p === "inf" ? "∞" : p} input norm)`, () => {
      fc.assert(
        fc.property(
          arbNetwork().chain((net) =>
            fc.tuple(fc.constant(net), arbBox(net.inputSize), fc.integer({ min: 1, max: 1e9 })),
          ),
          ([net, box, seed]) => {
            const L = localLipschitz(net, box, { norm: p });
            const pts = samplePoints(box, 24, seed);
            for (let a = 0; a + 1 < pts.length; a += 2) {
              const x = pts[a]!;
              const z = pts[a + 1]!;
              const dist = pnorm(
                x.map((v, i) => v - z[i]!),
                p,
              );
              const fx = forward(net, x);
              const fz = forward(net, z);
              for (let r = 0; r < net.outputSize; r++) {
                const slope = Math.abs(fx[r]! - fz[r]!);
                if (slope > L.bound.data[r]! * dist * (1 + 1e-9) + 1e-12) return false;
              }
            }
            // gradients at sampled points lie in the elementwise bounds
            for (const x of pts.slice(4, 10)) {
              for (let r = 0; r < net.outputSize; r++) {
                const c = new Float64Array(net.outputSize);
                c[r] = 1;
                const g = gradient(net, x, c);
                for (let j = 0; j < net.inputSize; j++) {
                  const lo = L.gradLower.data[r * net.inputSize + j]!;
                  const hi = L.gradUpper.data[r * net.inputSize + j]!;
                  if (g[j]! < lo - 1e-12 || g[j]! > hi + 1e-12) return false;
                }
              }
            }
            return true;
          },
        ),
        { numRuns: 30 },
      );
    });
  }
});
