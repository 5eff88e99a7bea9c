import { Neg } from "../../../kernel-names.js";
import { unaryKernel } from "../util.js";

export const negKernel = unaryKernel(
  Neg,
  (x) => -x,
  (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = -x[i]!;
  },
);
