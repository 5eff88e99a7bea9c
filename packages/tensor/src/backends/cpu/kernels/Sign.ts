import { Sign } from "../../../kernel-names.js";
import { unaryKernel } from "../util.js";

export const signKernel = unaryKernel(Sign, (x) => (x > 0 ? 1 : x < 0 ? -1 : x));
