// Scalar special functions in float64: each is a pure (…: number) => number function.
export { digamma, polygamma } from "./digamma.js";
export { erf, erfc, erfcx } from "./erf.js";
export { gammaSign, lgamma } from "./lgamma.js";
export { logBesselI, logBesselK } from "./log-bessel.js";
