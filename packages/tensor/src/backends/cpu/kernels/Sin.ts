import { Sin } from "../../../kernel-names.js";
import { unaryKernel } from "../util.js";

export const sinKernel = unaryKernel(Sin, Math.sin);
