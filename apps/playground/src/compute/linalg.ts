// linalg page: preconditioned CG on the 2-D Poisson matrix (n² unknowns, b = 1) with four preconditioners.
import * as L from "@x/linalg";
import * as X from "@x/tensor";
import type { Compute } from "../protocol.js";

export const PRECONDITIONERS = ["none", "Jacobi", "SSOR", "IC(0)"] as const;

export interface CgRun {
  method: string;
  iterations: number;
  converged: boolean;
  /** ‖b − A x_k‖ / ‖b‖ for k = 0…iterations. */
  relResiduals: number[];
  setupMs: number;
  solveMs: number;
}

export interface LinalgResult {
  n: number;
  unknowns: number;
  nnz: number;
  tol: number;
  runs: CgRun[];
}

export const compute: Compute = (params, progress) => {
  const n = Number(params.n);
  const tol = Number(params.tol);
  const omega = Number(params.omega);
  const A = L.poisson2d(n);
  const b = X.ones([A.shape[0]]);
  const bnorm = Math.sqrt(A.shape[0]);
  // CG needs O(n) iterations on this matrix; used only to scale the progress bar.
  const expected = 3 * n + 10;
  const runs: CgRun[] = [];
  PRECONDITIONERS.forEach((method, i) => {
    let t0 = performance.now();
    const M =
      method === "Jacobi"
        ? L.jacobi(A)
        : method === "SSOR"
          ? L.ssorPreconditioner(A, omega)
          : method === "IC(0)"
            ? L.ic0(A)
            : undefined;
    const setupMs = performance.now() - t0;
    t0 = performance.now();
    const r = L.pcg(A, b, {
      tol,
      ...(M ? { M } : {}),
      callback: ({ iteration }) => {
        if (iteration % 10 === 0)
          progress((i + Math.min(iteration / expected, 1)) / 4, `${method}: iteration ${iteration}`);
      },
    });
    runs.push({
      method,
      iterations: r.iterations,
      converged: r.converged,
      relResiduals: r.residualNorms.map((v) => v / bnorm),
      setupMs,
      solveMs: performance.now() - t0,
    });
    progress((i + 1) / 4, `${method}: ${r.iterations} iterations`);
  });
  return { n, unknowns: A.shape[0], nnz: A.nnz, tol, runs } satisfies LinalgResult;
};
