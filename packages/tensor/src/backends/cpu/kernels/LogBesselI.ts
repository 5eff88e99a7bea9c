import { LogBesselI } from "../../../kernel-names.js";
import { logBesselI } from "../../../special/log-bessel.js";
import { unaryParamKernel } from "../util.js";

export const logBesselIKernel = unaryParamKernel(LogBesselI, "nu", logBesselI);
