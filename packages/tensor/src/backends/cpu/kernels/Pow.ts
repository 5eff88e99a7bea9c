import { Pow } from "../../../kernel-names.js";
import { binaryKernel } from "../util.js";

export const powKernel = binaryKernel(Pow, Math.pow);
