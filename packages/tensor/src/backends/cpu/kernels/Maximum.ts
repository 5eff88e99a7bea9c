import { Maximum } from "../../../kernel-names.js";
import { binaryKernel } from "../util.js";

export const maximumKernel = binaryKernel(Maximum, (a, b) => (a > b || a !== a ? a : b));
