import { Abs } from "../../../kernel-names.js";
import { unaryKernel } from "../util.js";

export const absKernel = unaryKernel(Abs, Math.abs);
