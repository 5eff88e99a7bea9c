import { Less } from "../../../kernel-names.js";
import { binaryKernel } from "../util.js";

export const lessKernel = binaryKernel(Less, (a, b) => (a < b ? 1 : 0));
