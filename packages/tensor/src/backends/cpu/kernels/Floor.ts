import { Floor } from "../../../kernel-names.js";
import { unaryKernel } from "../util.js";

export const floorKernel = unaryKernel(Floor, Math.floor);
