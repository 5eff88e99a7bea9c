import { Cos } from "../../../kernel-names.js";
import { unaryKernel } from "../util.js";

export const cosKernel = unaryKernel(Cos, Math.cos);
