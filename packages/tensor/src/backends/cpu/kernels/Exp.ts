import { Exp } from "../../../kernel-names.js";
import { unaryKernel } from "../util.js";

export const expKernel = unaryKernel(Exp, Math.exp);
