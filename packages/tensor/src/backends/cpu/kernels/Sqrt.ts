import { Sqrt } from "../../../kernel-names.js";
import { unaryKernel } from "../util.js";

export const sqrtKernel = unaryKernel(Sqrt, Math.sqrt);
