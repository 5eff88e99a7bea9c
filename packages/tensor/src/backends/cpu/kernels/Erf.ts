import { Erf } from "../../../kernel-names.js";
import { erf } from "../../../special/erf.js";
import { unaryKernel } from "../util.js";

export const erfKernel = unaryKernel(Erf, erf);
