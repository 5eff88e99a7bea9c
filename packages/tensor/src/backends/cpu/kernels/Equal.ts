import { Equal } from "../../../kernel-names.js";
import { binaryKernel } from "../util.js";

export const equalKernel = binaryKernel(Equal, (a, b) => (a === b ? 1 : 0));
