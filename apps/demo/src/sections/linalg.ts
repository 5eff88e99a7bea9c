import * as L from "@x/linalg";
import * as X from "@x/tensor";

const e = (v: number) => v.toExponential(2);

export const linalgSection = {
  title: "@x/linalg — dense factorizations, Krylov solvers, spectral estimators",
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

    // Spectral tools on the same operator: Lanczos extremes, Hutch++ trace, SLQ log-determinant.
    // On a 30×30 grid the spectrum is known: λ = 4 − 2cos(iπ/31) − 2cos(jπ/31).
    const P = L.poisson2d(30);
    const exact = (i: number, j: number) => 4 - 2 * Math.cos((i * Math.PI) / 31) - 2 * Math.cos((j * Math.PI) / 31);
    const top = L.lanczos(P, 1, { which: "largest", seed: 1 });
    const bottom = L.lanczos(P, 1, { which: "smallest", seed: 1 });
    out.push(
      `Lanczos on poisson2d(30): λmax ${top.values.data[0]!.toFixed(10)} (exact ${exact(30, 30).toFixed(10)}), λmin ${bottom.values.data[0]!.toFixed(10)} (exact ${exact(1, 1).toFixed(10)})`,
    );
    const trace = L.hutchPlusPlus(P, { numMatvecs: 60, seed: 2 }).estimate;
    let logdet = 0;
    for (let i = 1; i <= 30; i++) for (let j = 1; j <= 30; j++) logdet += Math.log(exact(i, j));
    const slq = L.slqLogdet(P, { numProbes: 20, lanczosSteps: 30, seed: 3 });
    out.push(
      `Hutch++ trace (60 matvecs) ${trace.toFixed(2)} (exact 3600); SLQ log det ${slq.toFixed(2)} (exact ${logdet.toFixed(2)})`,
    );

    // Dense and differentiable: d/dΣ log det Σ = Σ⁻¹, checked against inv.
    const key = X.rng(4);
    const B = X.normal(key, [6, 6]);
    const S = X.add(X.matmul(B, X.transpose(B)), X.eye(6));
    const g = X.grad((s: X.Tensor) => L.logdet(s))(S) as X.Tensor;
    const err = X.max(X.abs(X.sub(g, L.inv(S)))).item();
    const { values } = L.eigh(S);
    out.push(
      `6×6 SPD Σ: eigh λ ∈ [${values.data[0]!.toFixed(4)}, ${values.data[5]!.toFixed(4)}], ‖∇ log det Σ − Σ⁻¹‖∞ = ${e(err)}`,
    );
    return out;
  },
};
