import { Relu } from "../../../kernel-names.js";
import { unaryKernel } from "../util.js";

export const reluKernel = unaryKernel(Relu, (x) => (x > 0 ? x : x === x ? 0 : x));
