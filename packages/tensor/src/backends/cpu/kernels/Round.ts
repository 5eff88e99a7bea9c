import { Round } from "../../../kernel-names.js";
import { unaryKernel } from "../util.js";

export const roundKernel = unaryKernel(Round, Math.round);
