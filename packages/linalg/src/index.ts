// @x/linalg: dense and matrix-free linear algebra on @x/tensor.
export * from "./dense/index.js";
export * from "./krylov/index.js";
export * from "./matfun/index.js";
export * from "./randomized/index.js";
export * from "./spectral/index.js";
export * from "./structured/index.js";
export * from "./tensor-decomp/index.js";
