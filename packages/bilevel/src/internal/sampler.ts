// Minibatch estimates of the objectives for the stochastic solvers (stocBiO: Ji, Yang & Liang 2021;
// SOBA: Dagréou et al. 2022): each call draws a fresh uniform batch without replacement from a
// counter-based key (@x/tensor's Threefry), so a run is reproducible from its seed and every oracle
// — gradient, HVP, Jacobian-vector product — gets an independent sample.
import { foldIn, permutation, rng, ValueError } from "@x/tensor";
import type { BilevelSolverOptions, BilevelSpec } from "../solvers/types.js";
import type { Objective } from "./oracles.js";

export interface Sampled {
  f: Objective;
  g: Objective;
  /** Number of batches drawn so far (inner, outer). */
  draws: () => { inner: number; outer: number };
}

export function sampledObjectives(spec: BilevelSpec, o: BilevelSolverOptions, fn: string): Sampled {
  const mb = o.minibatch;
  if (mb === undefined) return { f: spec.outer, g: spec.inner, draws: () => ({ inner: 0, outer: 0 }) };
  const fs = spec.batch;
  if (!fs) {
    throw new ValueError(
      `${fn}: options.minibatch needs spec.batch (the finite-sum structure; ridgeProblem, logisticProblem and hyperCleaningProblem provide it)`,
    );
  }
  const size = (v: number | undefined, n: number, name: string) => {
    if (!(Number.isInteger(v) && v! >= 1 && v! <= n)) {
      throw new ValueError(`${fn}: options.minibatch.${name} must be an integer in [1, ${n}], got ${v}`);
    }
    return v!;
  };
  const bIn = size(mb.batchSize, fs.nInner, "batchSize");
  const bOut = size(mb.outerBatchSize ?? Math.min(mb.batchSize, fs.nOuter), fs.nOuter, "outerBatchSize");
  const seed = mb.seed ?? 0;
  if (!Number.isSafeInteger(seed))
    throw new ValueError(`${fn}: options.minibatch.seed must be an integer, got ${seed}`);
  const [kIn, kOut] = [foldIn(rng(seed), 1), foldIn(rng(seed), 2)];
  let nIn = 0;
  let nOut = 0;
  const draw = (key: ReturnType<typeof rng>, n: number, b: number) =>
    b === n ? Array.from({ length: n }, (_, i) => i) : Array.from(permutation(key, n).data.subarray(0, b));
  return {
    g: (x, l) => fs.inner(x, l, draw(foldIn(kIn, nIn++), fs.nInner, bIn)),
    f: (x, l) => fs.outer(x, l, draw(foldIn(kOut, nOut++), fs.nOuter, bOut)),
    draws: () => ({ inner: nIn, outer: nOut }),
  };
}
