import { Minimum } from "../../../kernel-names.js";
import { binaryKernel } from "../util.js";

export const minimumKernel = binaryKernel(Minimum, (a, b) => (a < b || a !== a ? a : b));
