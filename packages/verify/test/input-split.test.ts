import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { concretiseLower } from "../src/crown.js";
import { backwardLower, crownIntermediate, forward, forwardTrace } from "../src/index.js";
import { arbBox, arbNetwork, samplePoints } from "./helpers/random-net.js";
import { splitSearch } from "./helpers/split-search.js";

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

// A disjunction of specs over one box searched as one tree (inputSplitBabGroup): unsat must mean that no sampled
// point violates any of the specs, and a sat answer must carry a point violating the spec it names.
describe("input-split BaB over a group of specs sharing a box", () => {
  it("unsat only where no sample violates any spec, sat only with a real counterexample of the named spec", () => {
    fc.assert(
      fc.property(
        arbNetwork().chain((net) =>
          fc.tuple(
            fc.constant(net),
            arbBox(net.inputSize),
            fc.array(fc.double({ min: 0, max: 1.2, noNaN: true }), { minLength: 2, maxLength: 3 }),
          ),
        ),
        ([net, box, qs]) => {
          const out0 = samplePoints(box, 20, 7).map((x) => forward(net, x));
          // spec g: unsafe set y_o ≥ t_g (o = g mod outputs), i.e. safe where −y_o + t_g > 0
          const specs = qs.map((q, g) => {
            const o = g % net.outputSize;
            const ys = out0.map((y) => y[o]!);
            const lo = Math.min(...ys);
            const t = lo + q * (Math.max(...ys) - lo + 0.5) - 0.1;
            const C = new Float64Array(net.outputSize);
            C[o] = -1;
            return {
              spec: {
                lower: Float64Array.from(box.lower),
                upper: Float64Array.from(box.upper),
                C,
                d: Float64Array.of(-t),
                rows: 1,
              },
              o,
              t,
            };
          });
          const out = splitSearch(
            net,
            specs.map((s) => s.spec),
            { indices: specs.map((_, g) => 10 + g) },
          );
          if (out.status === "sat") {
            const x = out.cex.x;
            const s = specs[out.cex.spec - 10]!;
            expect(x.every((v, i) => v >= box.lower[i]! && v <= box.upper[i]!)).toBe(true);
            expect(forward(net, x)[s.o]!).toBeGreaterThanOrEqual(s.t);
          }
          if (out.status === "unsat") {
            for (const x of samplePoints(box, 200, 11)) {
              const y = forward(net, x);
              for (const s of specs) expect(y[s.o]!).toBeLessThan(s.t);
            }
            // and each spec alone is not found violated by the one-spec search either
            for (const s of specs) {
              const one = splitSearch(net, [s.spec]);
              expect(one.status).not.toBe("sat");
            }
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});

it("never proves a group one of whose specs a sampled point violates", () => {
  fc.assert(
    fc.property(
      arbNetwork().chain((net) => fc.tuple(fc.constant(net), arbBox(net.inputSize), fc.integer({ min: 2, max: 3 }))),
      ([net, box, count]) => {
        const xs = samplePoints(box, 200, 13);
        const ys = xs.map((x) => forward(net, x));
        // specs 0…count−2: unsafe y_o ≥ (sampled max + 0.05) (mostly safe, often needing splits); the last spec:
        // unsafe y_o ≥ (sampled max − 1e-9), violated by a sampled point, so the group is sat
        const specs = Array.from({ length: count }, (_, g) => {
          const o = g % net.outputSize;
          const top = Math.max(...ys.map((y) => y[o]!));
          const t = g === count - 1 ? top - 1e-9 : top + 0.05;
          const C = new Float64Array(net.outputSize);
          C[o] = -1;
          const spec = {
            lower: Float64Array.from(box.lower),
            upper: Float64Array.from(box.upper),
            C,
            d: Float64Array.of(-t),
            rows: 1,
          };
          return { spec, o, t };
        });
        const out = splitSearch(
          net,
          specs.map((s) => s.spec),
        );
        expect(out.status).not.toBe("unsat");
        if (out.status === "sat") {
          const s = specs[out.cex.spec]!;
          expect(forward(net, out.cex.x)[s.o]!).toBeGreaterThanOrEqual(s.t);
        }
      },
    ),
    { numRuns: 25 },
  );
});
