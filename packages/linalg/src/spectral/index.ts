// Barrel of the spectral group: eigensolvers for symmetric operators and stochastic trace/spectrum estimators.
export { type HutchinsonOptions, hutchinson, hutchinsonDiagonal, hutchPlusPlus } from "./hutchinson.js";
export { jacobiEig } from "./jacobi-eig.js";
export { type LanczosOptions, type LanczosResult, lanczos } from "./lanczos.js";
export { type LobpcgOptions, type LobpcgResult, lobpcg } from "./lobpcg.js";
export { type PowerIterationOptions, type PowerIterationResult, powerIteration } from "./power-iteration.js";
export { type SlqOptions, slq, slqLogdet, slqTrace } from "./slq.js";
export { tridiagonalEig } from "./tridiagonal-eig.js";
