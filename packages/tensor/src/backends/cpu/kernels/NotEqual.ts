import { NotEqual } from "../../../kernel-names.js";
import { binaryKernel } from "../util.js";

export const notEqualKernel = binaryKernel(NotEqual, (a, b) => (a !== b ? 1 : 0));
