import { Sub } from "../../../kernel-names.js";
import { binaryKernel } from "../util.js";

export const subKernel = binaryKernel(Sub, (a, b) => a - b);
