// Barrel of the tensor-decomp group: mode-n algebra, Tucker (HOSVD, ST-HOSVD, HOOI) and CP-ALS.
export { type CpAlsOptions, type CpAlsResult, cpAls, cpToTensor, khatriRao } from "./cp-als.js";
export { type HooiOptions, type HooiResult, hooi } from "./hooi.js";
export { hosvd, type TuckerOptions, type TuckerResult, tuckerToTensor } from "./hosvd.js";
export { fold, modeNProduct, multiModeProduct, unfold } from "./mode-n.js";
export { stHosvd } from "./st-hosvd.js";
