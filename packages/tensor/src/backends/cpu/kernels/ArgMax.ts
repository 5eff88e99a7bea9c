import { ArgMax } from "../../../kernel-names.js";
import { argReduceKernel } from "../arg-reduce.js";

export const argMaxKernel = argReduceKernel(ArgMax, (a, b) => a > b);
