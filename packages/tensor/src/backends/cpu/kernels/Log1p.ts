import { Log1p } from "../../../kernel-names.js";
import { unaryKernel } from "../util.js";

export const log1pKernel = unaryKernel(Log1p, Math.log1p);
