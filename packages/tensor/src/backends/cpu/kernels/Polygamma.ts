import { Polygamma } from "../../../kernel-names.js";
import { polygamma } from "../../../special/digamma.js";
import { unaryParamKernel } from "../util.js";

export const polygammaKernel = unaryParamKernel(Polygamma, "n", polygamma);
