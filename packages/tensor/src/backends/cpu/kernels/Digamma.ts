import { Digamma } from "../../../kernel-names.js";
import { digamma } from "../../../special/digamma.js";
import { unaryKernel } from "../util.js";

export const digammaKernel = unaryKernel(Digamma, digamma);
