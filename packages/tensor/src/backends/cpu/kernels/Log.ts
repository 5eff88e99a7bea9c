import { Log } from "../../../kernel-names.js";
import { unaryKernel } from "../util.js";

export const logKernel = unaryKernel(Log, Math.log);
