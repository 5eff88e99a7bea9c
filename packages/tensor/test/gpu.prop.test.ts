// The gpu.js backend against the cpu backend on random shapes (float32 tolerance), plus its modes,
// fallback notices, autodiff on gpujs and the optimal-transport kernels.
import { arbBroadcastShapes, arbShape, expectClose, tolFor } from "@x/test-utils";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { createGpuJsBackend, detectMode, GPUJS, gpuJsFallbacks, gpuJsMode } from "../src/gpu.js";
import * as X from "../src/index.js";

const tol = tolFor(32);
const numRuns = 20;
const vals = (n: number, min = -3, max = 3) =>
  fc.array(fc.double({ min, max, noNaN: true }), { minLength: n, maxLength: n }).map((v) => Float64Array.from(v));
const withShape = (s: number[], min?: number, max?: number) =>
  vals(
    s.reduce((a, b) => a * b, 1),
    min,
    max,
  ).map((d) => ({ s, d }));
type Input = { s: number[]; d: Float64Array };

/** Runs f on both backends from the same float64 inputs; returns [gpujs, cpu] results read back. */
function both(f: (...t: X.Tensor[]) => X.Tensor, ...inputs: Input[]): [X.Tensor, X.Tensor] {
  const on = (b: string) => {
    X.setBackend(b);
    const r = f(...inputs.map((i) => X.tensor(i.d, i.s)));
    const out = X.tensor(Float64Array.from(r.data), r.shape);
    return [r, out] as const;
  };
  const [g, gOut] = on(GPUJS);
  expect(g._backend).toBe(GPUJS);
  const [, c] = on("cpu");
  return [X.tensor(gOut.data, gOut.shape), c];
}

afterEach(() => {
  X.setBackend("cpu");
});

describe("gpujs vs cpu on random shapes", () => {
  it("reports its mode: webasm in Node without the gl module", () => {
    expect(detectMode()).toBe("webasm");
    expect(gpuJsMode()).toBe("webasm");
    expect(X.getBackend(GPUJS).floatPrecision).toBe(32);
    expect(X.getBackend(GPUJS).describe?.()).toMatch(/gpu\.js mode "webasm"/);
  });

  it("a chain of elementwise ops with broadcasting, reductions and softmax", () =>
    fc.assert(
      fc.property(
        arbBroadcastShapes({ maxRank: 4 }).chain(([a, b]) => fc.tuple(withShape(a), withShape(b))),
        ([a, b]) => {
          const f = (x: X.Tensor, y: X.Tensor) => {
            const z = X.tanh(X.add(X.mul(x, y), X.sigmoid(y)));
            const r = z.rank > 0 ? X.softmax(z, -1) : z;
            return X.add(r, X.sum(X.exp(z), { axis: z.rank > 1 ? [0] : undefined, keepDims: true }));
          };
          const [g, c] = both(f, a, b);
          expectClose(g, c, { rtol: tol.rtol * 10, atol: tol.atol * 10 }, "chain");
        },
      ),
      { numRuns },
    ));

  it("matmul and transpose on larger random shapes", () =>
    fc.assert(
      fc.property(
        fc
          .tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 40 }))
          .chain(([m, k, n]) => fc.tuple(withShape([m, k]), withShape([k, n]))),
        ([a, b]) => {
          const [g, c] = both((x, y) => X.matmul(X.transpose(X.matmul(x, y)), X.ones([a.s[0]!, 3])), a, b);
          const k = a.s[1]!;
          expectClose(g, c, { rtol: tol.rtol * 10, atol: tol.atol * 10 * k }, "matmul");
        },
      ),
      { numRuns },
    ));

  it("reductions over random axes", () =>
    fc.assert(
      fc.property(
        arbShape({ minRank: 1, maxRank: 4, maxDim: 6 }).chain((s) =>
          fc.tuple(
            withShape(s),
            fc.subarray(
              s.map((_, i) => i),
              { minLength: 1 },
            ),
          ),
        ),
        ([x, axes]) => {
          for (const op of [X.sum, X.max, X.min, X.logsumexp]) {
            const [g, c] = both((t) => op(t, { axis: axes }), x);
            expectClose(g, c, { rtol: tol.rtol * 10, atol: tol.atol * 10 }, op.name);
          }
        },
      ),
      { numRuns },
    ));

  it("optimal-transport kernels: distances, Gibbs kernel and Sinkhorn scalings", () =>
    fc.assert(
      fc.property(
        fc
          .tuple(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 4 }))
          .chain(([n, m, d]) => fc.tuple(withShape([n, d], -1, 1), withShape([m, d], -1, 1))),
        ([x, y]) => {
          const f = (a: X.Tensor, b: X.Tensor) => {
            const k = X.gibbsKernel(X.pairwiseSqDist(a, b), 0.5);
            let u = X.ones([a.shape[0]!]);
            let v = X.ones([b.shape[0]!]);
            for (let it = 0; it < 5; it++) {
              u = X.div(1, X.sum(X.scaleRowsCols(k, X.onesLike(u), v), { axis: 1 }));
              v = X.div(1, X.sum(X.scaleRowsCols(k, u, X.onesLike(v)), { axis: 0 }));
            }
            return X.scaleRowsCols(k, u, v);
          };
          const [g, c] = both(f, x, y);
          expectClose(g, c, { rtol: 1e-3, atol: 1e-5 }, "sinkhorn plan");
        },
      ),
      { numRuns: 10 },
    ));

  it("autodiff runs unchanged on gpujs (rules are ops)", () => {
    const x = { s: [3, 2], d: Float64Array.of(0.1, 0.5, 1.2, -0.3, 0.7, 0.9) };
    const y = { s: [2, 2], d: Float64Array.of(0, 0.2, 1, 1) };
    const loss = (a: X.Tensor, b: X.Tensor) =>
      X.grad((t: X.Tensor) => X.sum(X.scaleRowsCols(X.gibbsKernel(X.pairwiseSqDist(t, b), 0.7), [1, 2, 3], [0.5, 1])))(
        a,
      ) as X.Tensor;
    const [g, c] = both(loss, x, y);
    expectClose(g, c, { rtol: 1e-3, atol: 1e-5 }, "gradient on gpujs");
  });

  it("ops without a gpu.js kernel fall back to cpu with one notice each", () => {
    const notices: string[] = [];
    X.setFallbackNotice((m) => notices.push(m));
    try {
      X.setBackend(GPUJS);
      const x = X.tensor([3, 1, 2]);
      expect(X.argmax(x).item()).toBe(0);
      expect(X.argmax(x).item()).toBe(0);
      expect(notices.filter((m) => m.includes('"ArgMax"'))).toHaveLength(1);
      expect(gpuJsFallbacks()).toContain("ArgMax");
      expect(gpuJsFallbacks()).not.toContain("MatMul");
    } finally {
      X.setFallbackNotice((m) => console.warn(m));
    }
  });

  it("float32 is explicit: values are rounded on upload and read back as float32 values", () => {
    X.setBackend(GPUJS);
    const t = X.tensor([0.1]);
    expect(t.data[0]).toBe(Math.fround(0.1));
    expect(X.floatPrecision()).toBe(32);
  });

  it("a forced mode (gpu.js cpu mode) under its own name, compiled once per shape class", () => {
    const b = createGpuJsBackend({ mode: "cpu", name: "gpujs-forced" });
    expect(b.mode).toBe("cpu");
    X.setBackend("gpujs-forced");
    X.add(X.ones([2, 3]), X.ones([3]));
    const n = b.compiled;
    X.add(X.ones([4, 5]), X.ones([5]));
    expect(b.compiled).toBe(n);
    expect(b.describe()).toMatch(/mode "cpu"/);
  });
});
