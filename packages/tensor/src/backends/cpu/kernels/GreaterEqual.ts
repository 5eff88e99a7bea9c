import { GreaterEqual } from "../../../kernel-names.js";
import { binaryKernel } from "../util.js";

export const greaterEqualKernel = binaryKernel(GreaterEqual, (a, b) => (a >= b ? 1 : 0));
