// Barrel of the dense group: direct factorizations and solvers.
export { NotPositiveDefiniteError, SingularMatrixError } from "../errors.js";
export { type CholeskyOptions, type CholeskyResult, cholesky, choleskySolve } from "./cholesky.js";
export { cond } from "./cond.js";
export { det, type SlogdetResult, slogdet } from "./det.js";
export { type EigOptions, type EigResult, eig, eigvals } from "./eig.js";
export { type EighOptions, type EighResult, eigh, eigvalsh } from "./eigh.js";
export { inv } from "./inv.js";
export { logdet } from "./logdet.js";
export { type LstsqResult, lstsq } from "./lstsq.js";
export { type LuResult, lu, luSolve } from "./lu.js";
export { type MatrixNormOrd, matrixNorm } from "./matrix-norm.js";
export { type MatrixRankOptions, matrixRank } from "./matrix-rank.js";
export { type PinvOptions, pinv } from "./pinv.js";
export { type QrMode, type QrOptions, qr } from "./qr.js";
export { solve } from "./solve.js";
export { type SolveTriangularOptions, solveTriangular } from "./solve-triangular.js";
export { type SvdMethod, type SvdOptions, type SvdResult, svd, svdvals } from "./svd.js";
