import { Greater } from "../../../kernel-names.js";
import { binaryKernel } from "../util.js";

export const greaterKernel = binaryKernel(Greater, (a, b) => (a > b ? 1 : 0));
