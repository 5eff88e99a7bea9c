import { Div } from "../../../kernel-names.js";
import { binaryKernel } from "../util.js";

export const divKernel = binaryKernel(
  Div,
  (a, b) => a / b,
  (out, o, a, ia, sa, b, ib, sb, n) => {
    for (let j = 0; j < n; j++) out[o + j] = a[ia + j * sa]! / b[ib + j * sb]!;
  },
);
