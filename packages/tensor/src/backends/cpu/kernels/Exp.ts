import { Exp } from "../../../kernel-names.js";
import { unaryKernel } from "../util.js";

export const expKernel = unaryKernel(Exp, Math.exp, (x, out) => {
  for (let i = 0; i < x.length; i++) out[i] = Math.exp(x[i]!);
});
