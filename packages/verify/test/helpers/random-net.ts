import fc from "fast-check";
import { type Activation, type Network, sequential } from "../../src/index.js";

const weight = fc.double({ min: -2, max: 2, noNaN: true, noDefaultInfinity: true });

export const arbActivation: fc.Arbitrary<Activation> = fc.oneof(
  fc.constant<Activation>({ kind: "relu" }),
  fc.double({ min: 0, max: 1, noNaN: true }).map<Activation>((alpha) => ({ kind: "leakyRelu", alpha })),
  fc.constant<Activation>({ kind: "sigmoid" }),
  fc.constant<Activation>({ kind: "tanh" }),
);

/** Random small fully-connected network: widths in [1, 5], 1–3 hidden layers, weights in [−2, 2]. */
export function arbNetwork(opts: { reluOnly?: boolean } = {}): fc.Arbitrary<Network> {
  return fc
    .tuple(
      fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 3, maxLength: 5 }),
      fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    )
    .chain(([widths, _]) => {
      const layers = widths.slice(1).map((out, k) =>
        fc.record({
          W: fc.array(fc.array(weight, { minLength: widths[k]!, maxLength: widths[k]! }), {
            minLength: out,
            maxLength: out,
          }),
          b: fc.array(weight, { minLength: out, maxLength: out }),
        }),
      );
      const acts = fc.array(opts.reluOnly ? fc.constant<Activation>({ kind: "relu" }) : arbActivation, {
        minLength: widths.length - 2,
        maxLength: widths.length - 2,
      });
      return fc.tuple(fc.tuple(...layers), acts).map(([ls, as]) => sequential(ls, as));
    });
}

/** A random box for a network's input: centre in [−1, 1], half-width in [0, 1]. */
export function arbBox(n: number): fc.Arbitrary<{ lower: number[]; upper: number[] }> {
  return fc
    .array(fc.tuple(fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })), {
      minLength: n,
      maxLength: n,
    })
    .map((cs) => ({ lower: cs.map(([c, r]) => c - r), upper: cs.map(([c, r]) => c + r) }));
}

/** Deterministic sample points inside a box (corners mixed with uniform points). */
export function samplePoints(box: { lower: number[]; upper: number[] }, count: number, seed: number): number[][] {
  let s = seed >>> 0 || 1;
  const rand = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
  return Array.from({ length: count }, (_, k) =>
    box.lower.map((l, i) => {
      const u = box.upper[i]!;
      if (k < 4) return (k >> (i % 2)) & 1 ? u : l;
      return l + rand() * (u - l);
    }),
  );
}
