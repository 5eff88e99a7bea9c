import { Sqrt } from "../../../kernel-names.js";
import { unaryKernel } from "../util.js";

export const sqrtKernel = unaryKernel(Sqrt, Math.sqrt, (x, out) => {
  for (let i = 0; i < x.length; i++) out[i] = Math.sqrt(x[i]!);
});
