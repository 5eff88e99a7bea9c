import { Log } from "../../../kernel-names.js";
import { unaryKernel } from "../util.js";

export const logKernel = unaryKernel(Log, Math.log, (x, out) => {
  for (let i = 0; i < x.length; i++) out[i] = Math.log(x[i]!);
});
