// @x/linalg: dense and matrix-free linear algebra on @x/tensor.
export * from "./dense/index.js";
export * from "./krylov/index.js";
export * from "./randomized/index.js";
export * from "./spectral/index.js";
