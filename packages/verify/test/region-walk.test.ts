import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mulberry32 } from "../src/falsify.js";
import {
  checkCounterexample,
  forward,
  forwardTrace,
  loadOnnx,
  minimaxDescent,
  type Network,
  parseVnnlib,
  sequential,
  specMargin,
  type VnnSpec,
  verify,
} from "../src/index.js";
import { regionWalk } from "../src/region-walk.js";
import { samplePoints } from "./helpers/random-net.js";
import { arbSpecCase, specOf } from "./helpers/spec-case.js";

const ACAS = join(__dirname, "fixtures", "acasxu");

const pattern = (net: Network, x: ArrayLike<number>) =>
  forwardTrace(net, x)
    .pre.map((z) => Array.from(z, (v) => (v > 0 ? 1 : 0)).join(""))
    .join("|");

describe("regionWalk", () => {
  it("ends inside the box, at its concrete margin, never above the start; a counterexample really violates", () => {
    fc.assert(
      fc.property(arbSpecCase(), ({ net, box, spec, t }) => {
        const x0 = box.lower.map((l, i) => l + t * (box.upper[i]! - l));
        const start = specMargin(spec, forward(net, x0)).margin;
        const r = regionWalk(net, spec, x0, { maxRegions: 30 });
        r.x.forEach((v, i) => {
          expect(v).toBeGreaterThanOrEqual(box.lower[i]!);
          expect(v).toBeLessThanOrEqual(box.upper[i]!);
        });
        expect(r.margin).toBe(specMargin(spec, forward(net, r.x)).margin);
        expect(r.margin).toBeLessThanOrEqual(start);
        if (r.counterexample) expect(checkCounterexample(net, spec, r.counterexample)).not.toBeNull();
      }),
    );
  });

  it("its first LP is the exact minimum over the start's activation region: no sample there lies lower", () => {
    fc.assert(
      fc.property(arbSpecCase({ reluOnly: true }), ({ net, box, spec, t }) => {
        const pts = samplePoints(box, 64, Math.floor(t * 2 ** 31));
        const x0 = pts[5]!;
        const region = pattern(net, x0);
        const r = regionWalk(net, spec, x0, { maxRegions: 1 });
        let scale = 1;
        for (const x of pts) scale = Math.max(scale, Math.abs(specMargin(spec, forward(net, x)).margin));
        for (const x of pts) {
          if (pattern(net, x) !== region) continue;
          expect(r.margin).toBeLessThanOrEqual(specMargin(spec, forward(net, x)).margin + 1e-9 * scale);
        }
      }),
    );
  });

  it("leaves networks with smooth activations alone", () => {
    const net = sequential(
      [
        { W: [[1, -1]], b: [0.5] },
        { W: [[2]], b: [0] },
      ],
      { kind: "tanh" },
    );
    const spec = specOf({ lower: [-1, -1], upper: [1, 1] }, 1, 1, [1], 0);
    const r = regionWalk(net, spec, [0.2, 0.3]);
    expect(r.regions).toBe(0);
    expect(Array.from(r.x)).toEqual([0.2, 0.3]);
  });

  it("finds the floor of a valley far narrower than a descent step (one LP)", () => {
    // m(x) = |x₀ − 0.3| − 1e-6 on [0, 1]: negative only on |x₀ − 0.3| < 1e-6
    const net = sequential(
      [
        { W: [[1], [-1]], b: [-0.3, 0.3] },
        { W: [[1, 1]], b: [-1e-6] },
      ],
      { kind: "relu" },
    );
    const spec: VnnSpec = {
      lower: Float64Array.from([0]),
      upper: Float64Array.from([1]),
      C: Float64Array.from([1]),
      d: Float64Array.from([0]),
      rows: 1,
    };
    const r = regionWalk(net, spec, [0.9]);
    expect(r.counterexample).toBeDefined();
    expect(Math.abs(r.x[0]! - 0.3)).toBeLessThan(1e-6);
    expect(r.margin).toBeLessThanOrEqual(0);
  });
});

describe("regionWalk on ACAS Xu", () => {
  const load = (n: string, p: string) => ({
    net: loadOnnx(readFileSync(join(ACAS, `ACASXU_run2a_${n}_batch_2000.onnx`))),
    spec: parseVnnlib(readFileSync(join(ACAS, `${p}.vnnlib`), "utf8")).specs[0]!,
  });
  const starts = (net: Network, spec: VnnSpec, count: number, seed: number) => {
    const rand = mulberry32(seed);
    return Array.from({ length: count }, () => {
      const x = spec.lower.map((l, i) => l + rand() * (spec.upper[i]! - l));
      return minimaxDescent(net, spec, x, 60).x;
    });
  };

  it("never claims a counterexample on instances proven unsat (1_1 prop 2, 1_3 prop 1)", () => {
    for (const [n, p] of [
      ["1_1", "prop_2"],
      ["1_3", "prop_1"],
    ] as const) {
      const { net, spec } = load(n, p);
      for (const x of starts(net, spec, 30, 7)) {
        const r = regionWalk(net, spec, x, { maxRegions: 50 });
        expect(r.counterexample).toBeUndefined();
        expect(r.margin).toBeGreaterThan(0);
      }
    }
  }, 60_000);

  it("5_3 prop 2: reaches the narrow violating valley the descent stalls above", () => {
    // expected.csv: sat. Minimax descent alone ends ≥ 1e-4 above 0 from (almost) every start.
    const { net, spec } = load("5_3", "prop_2");
    let hits = 0;
    for (const x of starts(net, spec, 80, 1)) {
      const r = regionWalk(net, spec, x, { maxRegions: 50 });
      if (r.counterexample) {
        hits++;
        expect(checkCounterexample(net, spec, r.counterexample)).not.toBeNull();
      }
    }
    expect(hits).toBeGreaterThan(0);
  }, 60_000);

  it("verify answers 5_3 prop 2 (sat) within a few seconds with a counterexample that really violates", () => {
    const { net } = load("5_3", "prop_2");
    const prop = parseVnnlib(readFileSync(join(ACAS, "prop_2.vnnlib"), "utf8"));
    const r = verify(net, prop, { timeout: 100 });
    expect(r.status).toBe("sat");
    const cex = r.counterexample!;
    expect(checkCounterexample(net, prop.specs[cex.spec]!, cex.x)).not.toBeNull();
    // found by an attack right after the first short search stage (the search alone needs > 2e5 domains, 116 s)
    expect(r.stats.domains).toBeLessThanOrEqual(2048);
  }, 120_000);
});
