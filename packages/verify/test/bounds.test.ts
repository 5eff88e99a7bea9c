import { ShapeError, ValueError } from "@x/tensor";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { backDenseDot } from "../src/crown.js";
import {
  alphaCrownLower,
  computeBounds,
  crownIntermediate,
  forward,
  forwardTrace,
  ibp,
  nextDown,
  nextUp,
  sequential,
} from "../src/index.js";
import { arbBox, arbNetwork, samplePoints } from "./helpers/random-net.js";

const arr = (t: { data: Float64Array }) => Array.from(t.data);

describe("computeBounds on the auto_LiRPA introduction example", () => {
  // auto_LiRPA's examples/simple_verification.py: z = relu(W1 x), y = W2 z with W1 = [[1, −1], [2, −1]],
  // W2 = [[1, −1]], x ∈ [−1, 2] × [−2, 1]. auto_LiRPA prints IBP [−6, 4] and CROWN [−3, 3].
  const net = sequential([
    {
      W: [
        [1, -1],
        [2, -1],
      ],
    },
    { W: [[1, -1]] },
  ]);
  const box = { lower: [-1, -2], upper: [2, 1] };

  it("IBP gives [−6, 4]", () => {
    const r = computeBounds(net, box, { method: "ibp" });
    expect(arr(r.lower)[0]).toBeCloseTo(-6, 12);
    expect(arr(r.upper)[0]).toBeCloseTo(4, 12);
  });

  it("CROWN gives [−3, 3], and α-CROWN is at least as tight", () => {
    const r = computeBounds(net, box, { method: "crown" });
    expect(arr(r.lower)[0]).toBeCloseTo(-3, 12);
    expect(arr(r.upper)[0]).toBeCloseTo(3, 12);
    const a = computeBounds(net, box, { method: "alpha-crown" });
    expect(arr(a.lower)[0]).toBeGreaterThanOrEqual(arr(r.lower)[0]! - 1e-12);
    expect(arr(a.upper)[0]).toBeLessThanOrEqual(arr(r.upper)[0]! + 1e-12);
  });
});

describe("computeBounds on published examples", () => {
  // DeepPoly paper (Singh et al., POPL 2019, Fig. 2): x ∈ [−1, 1]², two ReLU layers [[1,1],[1,−1]], output
  // [[1,1],[0,1]] + [1, 0]. Interval analysis gives x11 ∈ [1, 7]; the back-substituted polyhedral bound gives [1, 5.5].
  const net = sequential([
    {
      W: [
        [1, 1],
        [1, -1],
      ],
    },
    {
      W: [
        [1, 1],
        [1, -1],
      ],
    },
    {
      W: [
        [1, 1],
        [0, 1],
      ],
      b: [1, 0],
    },
  ]);
  const box = { lower: [-1, -1], upper: [1, 1] };

  it("IBP reproduces the interval bounds [1, 7] and [0, 2]", () => {
    const r = computeBounds(net, box, { method: "ibp" });
    expect(arr(r.lower)[0]).toBeCloseTo(1, 12);
    expect(arr(r.upper)[0]).toBeCloseTo(7, 12);
    expect(arr(r.lower)[1]).toBeCloseTo(0, 12);
    expect(arr(r.upper)[1]).toBeCloseTo(2, 12);
  });

  it("CROWN reproduces DeepPoly's [1, 5.5]", () => {
    const r = computeBounds(net, box, { method: "crown" });
    expect(arr(r.lower)[0]).toBeCloseTo(1, 12);
    expect(arr(r.upper)[0]).toBeCloseTo(5.5, 12);
    // outward rounding: never strictly inside the exact values
    expect(arr(r.lower)[0]).toBeLessThanOrEqual(1);
    expect(arr(r.upper)[0]).toBeGreaterThanOrEqual(5.5);
  });

  it("y = relu(x)/2 + relu(−x)/2 = |x|/2 on [−1, 1]: IBP [0, 1], CROWN exact [0, 0.5]", () => {
    const n = sequential([{ W: [[1], [-1]] }, { W: [[0.5, 0.5]] }], [{ kind: "relu" }]);
    const b = { lower: [-1], upper: [1] };
    const ri = computeBounds(n, b, { method: "ibp" });
    expect(arr(ri.lower)[0]).toBeCloseTo(0, 14);
    expect(arr(ri.upper)[0]).toBeCloseTo(1, 14);
    const rc = computeBounds(n, b, { method: "crown" });
    expect(arr(rc.lower)[0]).toBeCloseTo(0, 14);
    expect(arr(rc.upper)[0]).toBeCloseTo(0.5, 14);
  });

  it("bounds a specification matrix C", () => {
    const r = computeBounds(net, box, { method: "crown", C: [[1, -1]] });
    // y0 − y1 = h1 + 1 ≥ 1 (h1 = relu(...) ≥ 0)
    expect(arr(r.lower)[0]).toBeCloseTo(1, 12);
  });

  it("rejects bad boxes, methods and C shapes", () => {
    expect(() => computeBounds(net, { lower: [0], upper: [1] })).toThrow(ShapeError);
    expect(() => computeBounds(net, { lower: [1, 0], upper: [0, 0] })).toThrow(/lower\[0\]/);
    expect(() => computeBounds(net, { lower: [Number.NaN, 0], upper: [0, 0] })).toThrow(ValueError);
    expect(() => computeBounds(net, box, { method: "zono" as never })).toThrow(ValueError);
    expect(() => computeBounds(net, box, { C: [[1, 2, 3]] })).toThrow(ShapeError);
  });
});

describe("bound properties on random networks", () => {
  it("every method contains the outputs of sampled inputs", () => {
    fc.assert(
      fc.property(
        arbNetwork().chain((net) =>
          fc.tuple(fc.constant(net), arbBox(net.inputSize), fc.integer({ min: 1, max: 1e9 })),
        ),
        ([net, box, seed]) => {
          const pts = samplePoints(box, 30, seed);
          for (const method of ["ibp", "crown", "alpha-crown"] as const) {
            const r = computeBounds(net, box, { method, iterations: 5 });
            for (const x of pts) {
              const y = forward(net, x);
              for (let i = 0; i < y.length; i++) {
                if (!(r.lower.data[i]! <= y[i]! && y[i]! <= r.upper.data[i]!)) return false;
              }
            }
          }
          return true;
        },
      ),
      { numRuns: 40 },
    );
  });

  it("α-CROWN is never looser than CROWN", () => {
    fc.assert(
      fc.property(
        arbNetwork().chain((net) => fc.tuple(fc.constant(net), arbBox(net.inputSize))),
        ([net, box]) => {
          const c = computeBounds(net, box, { method: "crown" });
          const a = computeBounds(net, box, { method: "alpha-crown", iterations: 8 });
          for (let i = 0; i < net.outputSize; i++) {
            if (a.lower.data[i]! < c.lower.data[i]! || a.upper.data[i]! > c.upper.data[i]!) return false;
          }
          return true;
        },
      ),
      { numRuns: 60 },
    );
  });

  it("splitting the box never loosens IBP (inclusion isotonicity)", () => {
    fc.assert(
      fc.property(
        arbNetwork().chain((net) =>
          fc.tuple(
            fc.constant(net),
            arbBox(net.inputSize),
            fc.nat(net.inputSize - 1),
            fc.double({ min: 0, max: 1, noNaN: true }),
          ),
        ),
        ([net, box, dim, frac]) => {
          const whole = ibp(net, Float64Array.from(box.lower), Float64Array.from(box.upper)).output;
          const cut = box.lower[dim]! + frac * (box.upper[dim]! - box.lower[dim]!);
          for (const [lo, hi] of [
            [box.lower[dim]!, cut],
            [cut, box.upper[dim]!],
          ]) {
            const l = Float64Array.from(box.lower);
            const u = Float64Array.from(box.upper);
            l[dim] = lo!;
            u[dim] = hi!;
            const part = ibp(net, l, u).output;
            for (let i = 0; i < net.outputSize; i++) {
              if (part.lower[i]! < whole.lower[i]! || part.upper[i]! > whole.upper[i]!) return false;
            }
          }
          return true;
        },
      ),
    );
  });

  it("nextUp / nextDown move strictly outward", () => {
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e300, max: 1e300 }),
        (x) => nextUp(x) > x && nextDown(x) < x,
      ),
    );
  });
});

describe("β-CROWN split multipliers", () => {
  it("bounds stay below the outputs of sampled points that satisfy the split, and never loosen", () => {
    fc.assert(
      fc.property(
        arbNetwork({ reluOnly: true }).chain((net) =>
          fc.tuple(fc.constant(net), arbBox(net.inputSize), fc.nat(20), fc.boolean(), fc.integer({ min: 1, max: 1e9 })),
        ),
        ([net, box, pick, positive, seed]) => {
          const b = { lower: Float64Array.from(box.lower), upper: Float64Array.from(box.upper) };
          const plain = crownIntermediate(net, b);
          const z0 = plain.pre[0]!;
          const unstable = Array.from(z0.lower.keys()).filter((i) => z0.lower[i]! < 0 && z0.upper[i]! > 0);
          if (unstable.length === 0) return true;
          const neuron = unstable[pick % unstable.length]!;
          const sign = positive ? 1 : -1;
          const ctx = crownIntermediate(net, b, {
            clamp: (layer, iv) => {
              if (layer !== 0) return;
              if (sign > 0) iv.lower[neuron] = 0;
              else iv.upper[neuron] = 0;
            },
          });
          const k = net.dense.length - 1;
          const m = net.outputSize;
          const C = new Float64Array(m * m);
          for (let i = 0; i < m; i++) C[i * m + i] = 1;
          const noBeta = alphaCrownLower(ctx, k, C, m, { iterations: 8 });
          const withBeta = alphaCrownLower(ctx, k, C, m, { iterations: 8, splits: [{ layer: 0, neuron, sign }] });
          for (let i = 0; i < m; i++) if (withBeta.lower[i]! < withBeta.initial[i]!) return false;
          for (const x of samplePoints(box, 60, seed)) {
            const t = forwardTrace(net, x);
            if (sign * t.pre[0]![neuron]! < 0) continue;
            for (let i = 0; i < m; i++)
              if (withBeta.lower[i]! > t.out[i]! || noBeta.lower[i]! > t.out[i]!) return false;
          }
          return true;
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe("backward dense product (backDenseDot)", () => {
  // the reference: the axpy loop backwardLower falls back to, skipping zero coefficients
  const axpy = (lam: Float64Array, rows: number, W: Float64Array, width: number, inSize: number) => {
    const next = new Float64Array(rows * inSize);
    for (let r = 0; r < rows; r++)
      for (let i = 0; i < width; i++) {
        const v = lam[r * width + i]!;
        if (v === 0) continue;
        for (let t = 0; t < inSize; t++) next[r * inSize + t] = next[r * inSize + t]! + v * W[i * inSize + t]!;
      }
    return next;
  };
  // coefficients with many (signed) zeros and mixed magnitudes, so sums cancel, underflow and round
  const coef = fc.oneof(
    fc.constantFrom(0, -0, 0, 1, -1),
    fc.double({ min: -1e3, max: 1e3, noNaN: true }),
    fc.double({ min: -1e-300, max: 1e-300, noNaN: true }),
  );

  it("is bit-identical to the axpy loop (same summation order; extra terms are ±0)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 0, max: 1e9 }),
        (rows, width, inSize, seed) => {
          const [lamArr, wArr] = fc.sample(
            fc.tuple(
              fc.array(coef, { minLength: rows * width, maxLength: rows * width }),
              fc.array(coef, { minLength: width * inSize, maxLength: width * inSize }),
            ),
            { seed, numRuns: 1 },
          )[0]!;
          const lam = Float64Array.from(lamArr);
          const W = Float64Array.from(wArr);
          const layer = { W, b: new Float64Array(width), inSize, outSize: width };
          const ref = axpy(lam, rows, W, width, inSize);
          // a first call with other zero columns, then two with Λ: the per-layer gathered Wᵀ is rebuilt, then reused
          const other = lam.map((v, q) => (q % width === 0 ? 0 : v + 1));
          const nextOther = new Float64Array(rows * inSize);
          if (backDenseDot(other, rows, layer, nextOther)) {
            const refOther = axpy(other, rows, W, width, inSize);
            if (!refOther.every((v, q) => Object.is(v, nextOther[q]))) return false;
          }
          for (let call = 0; call < 2; call++) {
            const next = new Float64Array(rows * inSize);
            const used = backDenseDot(lam, rows, layer, next);
            // when it declines (too sparse) it writes nothing and the caller runs the axpy loop
            if (!used && !next.every((v) => Object.is(v, 0))) return false;
            if (used && !ref.every((v, q) => Object.is(v, next[q]))) return false;
          }
          return true;
        },
      ),
      { numRuns: 200 },
    );
  });

  it("declines weights with non-finite entries (0·∞ would turn a skipped term into NaN)", () => {
    const W = Float64Array.of(1, Number.POSITIVE_INFINITY, 2, 3);
    const next = new Float64Array(2);
    expect(backDenseDot(Float64Array.of(1, 1), 1, { W, b: new Float64Array(2), inSize: 2, outSize: 2 }, next)).toBe(
      false,
    );
    expect(
      backDenseDot(
        Float64Array.of(1, 2),
        1,
        { W: Float64Array.of(1, 2, 3, 4), b: new Float64Array(2), inSize: 2, outSize: 2 },
        next,
      ),
    ).toBe(true);
    // 1·1 + 2·3 and 1·2 + 2·4, exact in float64
    expect(Object.is(next[0], 7) && Object.is(next[1], 10)).toBe(true);
  });
});
