// The 5-point finite-difference Laplacian on an n×n interior grid with Dirichlet boundary
// (LeVeque, "Finite Difference Methods for ODEs and PDEs", SIAM 2007, §3.2), unscaled: 4 on the diagonal,
// −1 for each grid neighbour. It is SPD with condition number ≈ 4n²/π², the standard CG test problem.
import { ValueError } from "@x/tensor";
import { CsrMatrix } from "./csr.js";

/** The n²×n² matrix of −Δ_h·h² on an n×n grid, unknowns ordered row by row (index = i·n + j). */
export function poisson2d(n: number): CsrMatrix {
  if (!Number.isInteger(n) || n < 1) throw new ValueError(`poisson2d: n must be a positive integer, got ${n}`);
  const size = n * n;
  const indptr = new Int32Array(size + 1);
  const indices = new Int32Array(5 * size - 4 * n);
  const values = new Float64Array(indices.length);
  let k = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const r = i * n + j;
      // Columns emitted in increasing order: up, left, centre, right, down.
      const push = (col: number, v: number) => {
        indices[k] = col;
        values[k++] = v;
      };
      if (i > 0) push(r - n, -1);
      if (j > 0) push(r - 1, -1);
      push(r, 4);
      if (j < n - 1) push(r + 1, -1);
      if (i < n - 1) push(r + n, -1);
      indptr[r + 1] = k;
    }
  }
  return new CsrMatrix(indptr, indices, values, [size, size]);
}
