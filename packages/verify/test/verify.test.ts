import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ValueError } from "@x/tensor";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { forward, loadOnnx, type Network, parseVnnlib, type VnnProperty, verify } from "../src/index.js";
import { arbBox, arbNetwork, samplePoints } from "./helpers/random-net.js";

const ACAS = join(__dirname, "fixtures", "acasxu");
const expected = new Map(
  readFileSync(join(ACAS, "expected.csv"), "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((l) => {
      const [o, v, , e] = l.split(",");
      return [`${o}|${v}`, e!] as const;
    }),
);

describe("verify on a CI subset of ACAS Xu with the known answers", () => {
  // fast instances (both answers) chosen from expected.csv; the full 186 run lives in apps/bench
  const cases: [string, string][] = [
    ["2_7", "prop_2"],
    ["5_5", "prop_2"],
    ["1_3", "prop_2"],
    ["2_7", "prop_3"],
    ["5_5", "prop_3"],
    // a disjunction of four one-row specs over one box: searched as one grouped input-split tree
    ["4_5", "prop_10"],
  ];
  for (const [n, p] of cases) {
    const onnx = `ACASXU_run2a_${n}_batch_2000.onnx`;
    const want = expected.get(`${onnx}|${p}.vnnlib`)!;
    it(`${n} ${p} → ${want}`, () => {
      const net = loadOnnx(readFileSync(join(ACAS, onnx)));
      const prop = parseVnnlib(readFileSync(join(ACAS, `${p}.vnnlib`), "utf8"));
      const r = verify(net, prop, { timeout: 100 });
      expect(r.status).toBe(want);
      if (r.status === "sat") {
        const cex = r.counterexample!;
        const spec = prop.specs[cex.spec]!;
        // the counterexample lies in the box and really violates: C·f(x) ≤ d for every row
        cex.x.forEach((v, i) => {
          expect(v).toBeGreaterThanOrEqual(spec.lower[i]!);
          expect(v).toBeLessThanOrEqual(spec.upper[i]!);
        });
        const y = forward(net, cex.x);
        for (let r2 = 0; r2 < spec.rows; r2++) {
          let s = 0;
          for (let j = 0; j < 5; j++) s += spec.C[r2 * 5 + j]! * y[j]!;
          expect(s).toBeLessThanOrEqual(spec.d[r2]!);
        }
      }
    }, 120_000);
  }

  it("rejects a property whose sizes differ from the network", () => {
    const net = loadOnnx(readFileSync(join(ACAS, "ACASXU_run2a_2_7_batch_2000.onnx")));
    const prop = parseVnnlib(
      "(declare-const X_0 Real)(declare-const Y_0 Real)(assert (<= X_0 1))(assert (>= X_0 0))(assert (<= Y_0 0))",
    );
    expect(() => verify(net, prop)).toThrow(ValueError);
    expect(() => verify(net, prop)).toThrow(/1 inputs.*network has 5/);
  });
});

describe("soundness on random networks", () => {
  const threshold = (net: Network, box: { lower: number[]; upper: number[] }, q: number) => {
    const ys = samplePoints(box, 20, 7).map((x) => forward(net, x)[0]!);
    const lo = Math.min(...ys);
    const hi = Math.max(...ys);
    return lo + q * (hi - lo + 0.5) - 0.1;
  };
  for (const branching of ["input", "relu"] as const) {
    it(`${branching}-split answers agree with samples and counterexamples really violate`, () => {
      fc.assert(
        fc.property(
          arbNetwork().chain((net) =>
            fc.tuple(fc.constant(net), arbBox(net.inputSize), fc.double({ min: 0, max: 1.2, noNaN: true })),
          ),
          ([net, box, q]) => {
            // unsafe set: y₀ ≥ t  ⇔  −y₀ ≤ −t
            const t = threshold(net, box, q);
            const C = new Float64Array(net.outputSize);
            C[0] = -1;
            const prop: VnnProperty = {
              inputSize: net.inputSize,
              outputSize: net.outputSize,
              specs: [
                {
                  lower: Float64Array.from(box.lower),
                  upper: Float64Array.from(box.upper),
                  C,
                  d: Float64Array.of(-t),
                  rows: 1,
                },
              ],
            };
            const r = verify(net, prop, { timeout: 5, branching, maxDomains: 3000 });
            if (r.status === "sat") {
              const x = r.counterexample!.x;
              return x.every((v, i) => v >= box.lower[i]! && v <= box.upper[i]!) && forward(net, x)[0]! >= t;
            }
            if (r.status === "unsat") return samplePoints(box, 200, 11).every((x) => forward(net, x)[0]! < t);
            return true;
          },
        ),
        { numRuns: 25 },
      );
    });
  }
});
