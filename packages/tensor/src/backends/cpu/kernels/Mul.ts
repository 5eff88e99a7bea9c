import { Mul } from "../../../kernel-names.js";
import { binaryKernel } from "../util.js";

export const mulKernel = binaryKernel(Mul, (a, b) => a * b);
