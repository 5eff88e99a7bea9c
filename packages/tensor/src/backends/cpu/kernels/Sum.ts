import { Sum } from "../../../kernel-names.js";
import { reduceKernel } from "../reduce.js";

export const sumKernel = reduceKernel(Sum, 0, (acc, v) => acc + v);
