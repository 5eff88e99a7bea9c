import { Expm1 } from "../../../kernel-names.js";
import { unaryKernel } from "../util.js";

export const expm1Kernel = unaryKernel(Expm1, Math.expm1);
