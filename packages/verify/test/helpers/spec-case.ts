import fc from "fast-check";
import type { Network, VnnSpec } from "../../src/index.js";
import { arbBox, arbNetwork } from "./random-net.js";

/** A spec "every row cᵢ·y ≤ dᵢ" with `rows` rows over m outputs, entries cycled from `cs`, dᵣ = d0·(r + 1). */
export const specOf = (
  box: { lower: number[]; upper: number[] },
  m: number,
  rows: number,
  cs: number[],
  d0: number,
): VnnSpec => ({
  lower: Float64Array.from(box.lower),
  upper: Float64Array.from(box.upper),
  C: Float64Array.from({ length: rows * m }, (_, q) => cs[q % cs.length]!),
  d: Float64Array.from({ length: rows }, (_, r) => d0 * (r + 1)),
  rows,
});

/** A random network, a box, a spec over it (see specOf) and t ∈ [0, 1] (a start point lower + t·(upper − lower)). */
export function arbSpecCase(
  opts: { reluOnly?: boolean } = {},
): fc.Arbitrary<{ net: Network; box: { lower: number[]; upper: number[] }; spec: VnnSpec; t: number }> {
  return arbNetwork(opts).chain((net) =>
    fc
      .tuple(
        arbBox(net.inputSize),
        fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 1, maxLength: 7 }),
        fc.integer({ min: 1, max: 3 }),
        fc.double({ min: -1, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
      )
      .map(([box, cs, rows, d0, t]) => ({ net, box, spec: specOf(box, net.outputSize, rows, cs, d0), t })),
  );
}
