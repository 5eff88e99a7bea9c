import { Tanh } from "../../../kernel-names.js";
import { unaryKernel } from "../util.js";

export const tanhKernel = unaryKernel(Tanh, Math.tanh);
