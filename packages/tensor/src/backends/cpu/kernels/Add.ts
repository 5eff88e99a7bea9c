import { Add } from "../../../kernel-names.js";
import { binaryKernel } from "../util.js";

export const addKernel = binaryKernel(Add, (a, b) => a + b);
