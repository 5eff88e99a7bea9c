import { IsNaN } from "../../../kernel-names.js";
import { unaryKernel } from "../util.js";

export const isNaNKernel = unaryKernel(IsNaN, (x) => (Number.isNaN(x) ? 1 : 0));
