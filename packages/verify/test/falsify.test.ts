import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  alphaCrownLower,
  backwardLower,
  crownIntermediate,
  falsify,
  forward,
  loadOnnx,
  minimaxDescent,
  parseVnnlib,
  sequential,
  specMargin,
  type VnnSpec,
} from "../src/index.js";
import { regionWalk } from "../src/region-walk.js";
import { arbBox, arbNetwork } from "./helpers/random-net.js";
import { arbSpecCase } from "./helpers/spec-case.js";

const ACAS = join(__dirname, "fixtures", "acasxu");

describe("minimaxDescent", () => {
  it("stays in the box and never ends above the margin it starts from", () => {
    fc.assert(
      fc.property(arbSpecCase({ reluOnly: true }), ({ net, box, spec, t }) => {
        const x0 = box.lower.map((l, i) => l + t * (box.upper[i]! - l));
        const start = specMargin(spec, forward(net, x0)).margin;
        const r = minimaxDescent(net, spec, x0, 30);
        r.x.forEach((v, i) => {
          expect(v).toBeGreaterThanOrEqual(box.lower[i]!);
          expect(v).toBeLessThanOrEqual(box.upper[i]!);
        });
        expect(r.margin).toBeLessThanOrEqual(start);
        // the reported margin is the true one at the returned point
        expect(Math.abs(r.margin - specMargin(spec, forward(net, r.x)).margin)).toBeLessThanOrEqual(1e-12);
      }),
    );
  });
});

describe("falsify with a refine step (the activation-region walk)", () => {
  it("every counterexample it returns lies in the box and really violates", () => {
    fc.assert(
      fc.property(arbSpecCase(), ({ net, box, spec, t }) => {
        const cex = falsify(net, [spec], {
          seed: Math.floor(t * 1000),
          samples: 20,
          restarts: 4,
          steps: 10,
          refine: (s, x) => regionWalk(net, s, x, { maxRegions: 10 }).x,
        });
        if (!cex) return;
        cex.x.forEach((v, i) => {
          expect(v).toBeGreaterThanOrEqual(box.lower[i]!);
          expect(v).toBeLessThanOrEqual(box.upper[i]!);
        });
        expect(specMargin(spec, forward(net, cex.x)).margin).toBeLessThanOrEqual(0);
        expect(Array.from(cex.y)).toEqual(Array.from(forward(net, cex.x)));
      }),
    );
  });

  it("never reports what a refine step returns outside the box", () => {
    // y = x on [0, 1] and the unsafe set y ≤ −0.01: empty inside the box, but x = −1 would "violate"
    const net = sequential([{ W: [[1]], b: [0] }]);
    const spec: VnnSpec = {
      lower: Float64Array.from([0]),
      upper: Float64Array.from([1]),
      C: Float64Array.from([1]),
      d: Float64Array.from([-0.01]),
      rows: 1,
    };
    let calls = 0;
    const cex = falsify(net, [spec], {
      samples: 10,
      restarts: 3,
      refine: () => {
        calls++;
        return Float64Array.from([-1]);
      },
    });
    expect(cex).toBeNull();
    expect(calls).toBeGreaterThan(0);
  });
});

describe("falsify on ACAS Xu instances earlier versions missed", () => {
  // expected.csv (VNN-COMP 2021 answers, identical to nnenum's): both are sat. 1_9 prop 7's counterexamples lie on the
  // face X_0 = lower bound (boundary-biased sampling hits it); 2_9 prop 8's lie in its second disjunct, which a
  // row-switching sign-gradient PGD did not reach.
  for (const [n, p] of [
    ["1_9", "prop_7"],
    ["2_9", "prop_8"],
  ] as const) {
    it(`${n} ${p}: a counterexample that really violates, found before any branching`, () => {
      const net = loadOnnx(readFileSync(join(ACAS, `ACASXU_run2a_${n}_batch_2000.onnx`)));
      const prop = parseVnnlib(readFileSync(join(ACAS, `${p}.vnnlib`), "utf8"));
      const cex = falsify(net, prop.specs, { seed: 0 });
      expect(cex).not.toBeNull();
      const spec = prop.specs[cex!.spec]!;
      cex!.x.forEach((v, i) => {
        expect(v).toBeGreaterThanOrEqual(spec.lower[i]!);
        expect(v).toBeLessThanOrEqual(spec.upper[i]!);
      });
      const y = forward(net, cex!.x);
      for (let r = 0; r < spec.rows; r++) {
        let s = 0;
        for (let j = 0; j < 5; j++) s += spec.C[r * 5 + j]! * y[j]!;
        expect(s).toBeLessThanOrEqual(spec.d[r]!);
      }
    }, 60_000);
  }
});

describe("backwardLower per-context caches", () => {
  it("a context reused across calls (CROWN, α-CROWN, other rows) gives the bounds of a fresh context", () => {
    fc.assert(
      fc.property(
        arbNetwork().chain((net) => fc.tuple(fc.constant(net), arbBox(net.inputSize))),
        ([net, box]) => {
          const b = { lower: Float64Array.from(box.lower), upper: Float64Array.from(box.upper) };
          const k = net.dense.length - 1;
          const m = net.outputSize;
          const I = new Float64Array(m * m);
          for (let i = 0; i < m; i++) I[i * m + i] = 1;
          const neg = I.map((v) => -v);
          const shared = crownIntermediate(net, b);
          alphaCrownLower(shared, k, I, m, { iterations: 3 });
          const again = backwardLower(shared, k, neg, m).lower;
          const fresh = backwardLower(crownIntermediate(net, b), k, neg, m).lower;
          again.forEach((v, i) => {
            expect(v).toBe(fresh[i]);
          });
        },
      ),
    );
  });
});
