import { Lgamma } from "../../../kernel-names.js";
import { lgamma } from "../../../special/lgamma.js";
import { unaryKernel } from "../util.js";

export const lgammaKernel = unaryKernel(Lgamma, lgamma);
