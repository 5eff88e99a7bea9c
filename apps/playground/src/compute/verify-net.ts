// The verify page's network and property (shared with the browser test): a seeded 2-24-24-3 ReLU MLP
// (He-scaled Gaussian weights), an ℓ∞ box of radius ε around x₀, and the robustness property "the class
// predicted at x₀ stays on top in the whole box" in VNN-LIB form (one unsafe spec y_c − y_j ≤ 0 per j ≠ c).

import * as X from "@x/tensor";
import * as V from "@x/verify";

export const X0 = [0.3, -0.2];
const SIZES = [2, 24, 24, 3];

export function verifyNet(seed: number): V.Network {
  const keys = X.split(X.rng(seed), SIZES.length - 1);
  const layers = keys.map((k, i) => {
    const [kw, kb] = X.split(k, 2) as [X.Key, X.Key];
    return {
      W: X.normal(kw, [SIZES[i + 1]!, SIZES[i]!], 0, Math.sqrt(2 / SIZES[i]!)).toArray() as number[][],
      b: X.normal(kb, [SIZES[i + 1]!], 0, 0.1).toArray() as number[],
    };
  });
  return V.sequential(layers);
}

export function box(eps: number): V.Box {
  return { lower: X0.map((v) => v - eps), upper: X0.map((v) => v + eps) };
}

/** Unsafe iff some x in the box has y_j ≥ y_c for a j ≠ c, where c is the class predicted at x₀. */
export function robustness(net: V.Network, eps: number): { property: V.VnnProperty; c: number } {
  const y0 = V.forward(net, X0);
  const c = y0.indexOf(Math.max(...y0));
  const b = box(eps);
  const specs: V.VnnSpec[] = [];
  for (let j = 0; j < net.outputSize; j++) {
    if (j === c) continue;
    const C = new Float64Array(net.outputSize);
    C[c] = 1;
    C[j] = -1;
    specs.push({
      lower: Float64Array.from(b.lower as number[]),
      upper: Float64Array.from(b.upper as number[]),
      C,
      d: new Float64Array(1),
      rows: 1,
    });
  }
  return { property: { inputSize: net.inputSize, outputSize: net.outputSize, specs }, c };
}
