import { LogBesselK } from "../../../kernel-names.js";
import { logBesselK } from "../../../special/log-bessel.js";
import { unaryParamKernel } from "../util.js";

export const logBesselKKernel = unaryParamKernel(LogBesselK, "nu", logBesselK);
