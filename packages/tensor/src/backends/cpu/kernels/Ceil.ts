import { Ceil } from "../../../kernel-names.js";
import { unaryKernel } from "../util.js";

export const ceilKernel = unaryKernel(Ceil, Math.ceil);
