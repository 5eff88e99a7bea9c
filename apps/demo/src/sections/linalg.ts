import * as L from "@x/linalg";
import * as X from "@x/tensor";

const e = (v: number) => v.toExponential(2);

export const linalgSection = {
  title: "@x/linalg — Krylov solvers and preconditioners on a real sparse system",
  run(): string[] {
    const out: string[] = [];
    // 2-D Poisson (5-point Laplacian) on a 100×100 grid: 10 000 unknowns, ~50 000 nonzeros.
    const A = L.poisson2d(100);
    const b = X.ones([A.shape[0]]);
    out.push(`poisson2d(100): ${A.shape[0]} unknowns, ${A.nnz} nonzeros`);
    const plain = L.cg(A, b, { tol: 1e-8 });
    const ic = L.pcg(A, b, { tol: 1e-8, M: L.ic0(A) });
    const ssor = L.pcg(A, b, { tol: 1e-8, M: L.ssorPreconditioner(A, 1.5) });
    for (const [name, r] of [
      ["CG", plain],
      ["PCG + IC(0)", ic],
      ["PCG + SSOR(ω=1.5)", ssor],
    ] as const) {
      out.push(
        `${name.padEnd(18)} converged=${r.converged} iterations=${String(r.iterations).padStart(4)} final residual ${e(r.residualNorms.at(-1)!)}`,
      );
    }
    const gm = L.gmres(A, b, { tol: 1e-8, restart: 30, M: L.ilu0(A) });
    out.push(`GMRES(30) + ILU(0)  converged=${gm.converged} iterations=${gm.iterations}`);
    const res = X.norm(X.sub(A.matvec(ic.x), b)).item();
    out.push(`‖A x − b‖ for the IC(0) solution: ${e(res)}`);
    return out;
  },
};
