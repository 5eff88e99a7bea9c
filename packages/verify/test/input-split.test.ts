import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { concretiseLower } from "../src/crown.js";
import { backwardLower, crownIntermediate, forward, forwardTrace } from "../src/index.js";
import { arbBox, arbNetwork, samplePoints } from "./helpers/random-net.js";

// Input-split BaB hands a half-box its parent's intermediate intervals and linear bounds (intermediate and final),
// re-evaluated on the half. These must still enclose everything the network does on the half.
describe("linear bounds inherited by a sub-box", () => {
  it("contain the sampled pre-activations and outputs of the sub-box, and never loosen the parent's intervals", () => {
    fc.assert(
      fc.property(
        arbNetwork().chain((net) =>
          fc.tuple(
            fc.constant(net),
            arbBox(net.inputSize),
            fc.integer({ min: 0, max: net.inputSize - 1 }),
            fc.boolean(),
            fc.double({ min: 0.05, max: 0.95, noNaN: true }),
          ),
        ),
        ([net, box, dim, upperHalf, cut]) => {
          const b = { lower: Float64Array.from(box.lower), upper: Float64Array.from(box.upper) };
          const parent = crownIntermediate(net, b);
          const k = net.dense.length - 1;
          const m = net.outputSize;
          const I = new Float64Array(m * m);
          for (let i = 0; i < m; i++) I[i * m + i] = 1;
          const fin = backwardLower(parent, k, I, m);
          const cl = Float64Array.from(b.lower);
          const cu = Float64Array.from(b.upper);
          const mid = b.lower[dim]! + cut * (b.upper[dim]! - b.lower[dim]!);
          if (upperHalf) cl[dim] = mid;
          else cu[dim] = mid;
          const sub = { lower: cl, upper: cu };
          const child = crownIntermediate(net, sub, { prior: parent.pre, priorLinear: parent.lin });
          const outLower = concretiseLower(fin.A, fin.bias!, fin.err!, m, sub);
          for (const x of samplePoints({ lower: Array.from(cl), upper: Array.from(cu) }, 25, 11)) {
            const { pre } = forwardTrace(net, x);
            pre.forEach((z, j) => {
              z.forEach((v, i) => {
                expect(v).toBeGreaterThanOrEqual(child.pre[j]!.lower[i]!);
                expect(v).toBeLessThanOrEqual(child.pre[j]!.upper[i]!);
              });
            });
            const y = forward(net, x);
            y.forEach((v, i) => {
              expect(v).toBeGreaterThanOrEqual(outLower[i]!);
            });
          }
          child.pre.forEach((iv, j) => {
            iv.lower.forEach((v, i) => {
              expect(v).toBeGreaterThanOrEqual(parent.pre[j]!.lower[i]!);
              expect(iv.upper[i]!).toBeLessThanOrEqual(parent.pre[j]!.upper[i]!);
            });
          });
          // the re-evaluated final bound is at least the parent's
          outLower.forEach((v, i) => {
            expect(v).toBeGreaterThanOrEqual(fin.lower[i]!);
          });
        },
      ),
    );
  });
});
