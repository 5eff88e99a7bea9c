// Evaluated so that exp never sees a large positive argument.
import { Sigmoid } from "../../../kernel-names.js";
import { unaryKernel } from "../util.js";

export const sigmoidKernel = unaryKernel(Sigmoid, (x) =>
  x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)),
);
