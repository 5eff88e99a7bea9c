import { Div } from "../../../kernel-names.js";
import { binaryKernel } from "../util.js";

export const divKernel = binaryKernel(Div, (a, b) => a / b);
