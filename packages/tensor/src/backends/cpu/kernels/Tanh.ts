import { Tanh } from "../../../kernel-names.js";
import { unaryKernel } from "../util.js";

export const tanhKernel = unaryKernel(Tanh, Math.tanh, (x, out) => {
  for (let i = 0; i < x.length; i++) out[i] = Math.tanh(x[i]!);
});
