import { Min } from "../../../kernel-names.js";
import { reduceKernel } from "../reduce.js";

// NaN propagates, as in NumPy: once the accumulator is NaN it stays NaN.
export const minKernel = reduceKernel(Min, Number.POSITIVE_INFINITY, (acc, v) =>
  acc !== acc ? acc : v < acc || v !== v ? v : acc,
);
