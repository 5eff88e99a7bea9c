import { Max } from "../../../kernel-names.js";
import { reduceKernel } from "../reduce.js";

// NaN propagates, as in NumPy: once the accumulator is NaN it stays NaN.
export const maxKernel = reduceKernel(Max, Number.NEGATIVE_INFINITY, (acc, v) =>
  acc !== acc ? acc : v > acc || v !== v ? v : acc,
);
