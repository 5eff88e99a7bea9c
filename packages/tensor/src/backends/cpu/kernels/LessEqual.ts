import { LessEqual } from "../../../kernel-names.js";
import { binaryKernel } from "../util.js";

export const lessEqualKernel = binaryKernel(LessEqual, (a, b) => (a <= b ? 1 : 0));
