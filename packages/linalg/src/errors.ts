// Typed errors of @x/linalg. Both extend ValueError from @x/tensor, so callers that catch ValueError
// keep working; the extra fields say where the factorization broke down.
import { ValueError } from "@x/tensor";

/** Cholesky (or a Cholesky-based routine) met a non-positive pivot: the matrix is not positive definite. */
export class NotPositiveDefiniteError extends ValueError {
  constructor(
    readonly argName: string,
    /** 0-based index of the failing pivot (the leading minor of order pivotIndex+1 is not positive). */
    readonly pivotIndex: number,
    /** The value that should have been positive (a_jj − Σ l_jk²). */
    readonly pivotValue: number,
    /** Flat batch index of the failing matrix (0 for a single matrix). */
    readonly batchIndex = 0,
  ) {
    super(
      `${argName} is not positive definite: Cholesky pivot ${pivotIndex} is ${pivotValue}` +
        `${batchIndex > 0 ? ` (batch entry ${batchIndex})` : ""}; pass { jitter: 'auto' } to regularize`,
    );
  }
}

/** LU (or a triangular solve) met an exactly zero pivot: the matrix is singular. */
export class SingularMatrixError extends ValueError {
  constructor(
    readonly argName: string,
    /** 0-based index of the zero pivot U[index, index]. */
    readonly index: number,
    /** Flat batch index of the failing matrix (0 for a single matrix). */
    readonly batchIndex = 0,
  ) {
    super(
      `${argName} is singular: pivot ${index} is exactly zero` +
        `${batchIndex > 0 ? ` (batch entry ${batchIndex})` : ""}; use lstsq or pinv for singular systems`,
    );
  }
}
