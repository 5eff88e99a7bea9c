import { Neg } from "../../../kernel-names.js";
import { unaryKernel } from "../util.js";

export const negKernel = unaryKernel(Neg, (x) => -x);
