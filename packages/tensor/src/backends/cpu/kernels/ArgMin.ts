import { ArgMin } from "../../../kernel-names.js";
import { argReduceKernel } from "../arg-reduce.js";

export const argMinKernel = argReduceKernel(ArgMin, (a, b) => a < b);
