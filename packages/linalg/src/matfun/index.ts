// Barrel of the matfun group: matrix functions and multiplication-only iterative inverses and roots.
export { type ChebyshevFunmvOptions, chebyshevCoefficients, chebyshevFunmv } from "./chebyshev-funmv.js";
export { expm, expmFrechet } from "./expm.js";
export { type FunmOptions, funm, logm, powm, sqrtm } from "./funm.js";
export { type NewtonSchulzOptions, type NewtonSchulzResult, newtonSchulz } from "./newton-schulz.js";
