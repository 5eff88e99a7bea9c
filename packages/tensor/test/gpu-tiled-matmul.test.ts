// The row-tiled gpu.js matmul (WebAssembly mode) against the float64 cpu matmul on random shapes,
// including broadcast batch dimensions and k not a multiple of the unroll factor.
import { expectClose, tolFor } from "@x/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { GpuJsBackend } from "../src/backends/gpujs/engine.js";
import { tiledMatmul, tiledMatmulApplies } from "../src/backends/gpujs/matmul-tiled.js";
import { GPUJS } from "../src/gpu.js";
import * as X from "../src/index.js";

const tol = tolFor(32);
const vals = (n: number) =>
  fc
    .array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: n, maxLength: n })
    .map((v) => Float64Array.from(v));

/** Runs the tiled kernel on gpujs copies of a, b and returns the result as a float64 cpu tensor. */
function tiled(a: X.Tensor, b: X.Tensor): X.Tensor {
  const e = X.getBackend(GPUJS) as GpuJsBackend;
  const up = (t: X.Tensor) => new X.Tensor([...t.shape], e.write(t.data), GPUJS);
  const r = tiledMatmul(e, up(a), up(b));
  return X.tensor(Float64Array.from(r.storage.arr!), r.shape);
}

describe("gpujs row-tiled matmul (WebAssembly mode)", () => {
  it("applies in Node's webasm mode", () => {
    expect(tiledMatmulApplies(X.getBackend(GPUJS) as GpuJsBackend)).toBe(true);
  });

  it("equals the cpu matmul within float32 tolerance on random shapes with broadcast batches", () =>
    fc.assert(
      fc.property(
        fc.tuple(
          fc.integer({ min: 1, max: 13 }),
          fc.integer({ min: 0, max: 23 }),
          fc.integer({ min: 1, max: 13 }),
          fc.constantFrom<[number[], number[]]>([[], []], [[3], [3]], [[2, 1], [3]], [[], [2]], [[4], []]),
        ),
        fc.integer({ min: 1, max: 2 ** 30 }),
        ([m, k, n, [ba, bb]], seed) => {
          const a = X.uniform(X.rng(seed), [...ba, m, k], -3, 3);
          const b = X.uniform(X.rng(seed + 1), [...bb, k, n], -3, 3);
          const g = tiled(a, b);
          const c = X.matmul(a, b);
          expect(g.shape).toEqual(c.shape);
          expectClose(g, c, { rtol: tol.rtol * 10, atol: tol.atol * 10 * Math.max(1, k) }, "tiled matmul");
        },
      ),
      { numRuns: 25 },
    ));

  it("larger square and rectangular products (multi-quad rows, scalar tails)", () =>
    fc.assert(
      fc.property(
        fc.tuple(fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 70 })),
        vals(4),
        ([m, k, n], v) => {
          const a = X.add(X.uniform(X.rng(m * 131 + k), [m, k], -1, 1), v[0]!);
          const b = X.mul(X.uniform(X.rng(n * 7 + k), [k, n], -1, 1), v[1]!);
          expectClose(tiled(a, b), X.matmul(a, b), { rtol: tol.rtol * 10, atol: tol.atol * 40 * k }, "tiled matmul");
        },
      ),
      { numRuns: 15 },
    ));
});
