import * as OT from "@x/ot";
import * as X from "@x/tensor";

const f = (v: number, d = 6) => v.toFixed(d);

export const otSection = {
  title: "@x/ot — exact and entropic optimal transport between two point clouds",
  run(): string[] {
    const out: string[] = [];
    // Two 2-D clouds of 200 points: a Gaussian blob and a shifted, stretched one.
    const n = 200;
    const [k1, k2] = X.split(X.rng(7), 2) as [X.Key, X.Key];
    const x = X.normal(k1, [n, 2]);
    const y = X.add(X.mul(X.normal(k2, [n, 2]), X.tensor([1.5, 0.5])), X.tensor([3, 1]));
    const M = OT.dist(x, y);
    let t0 = performance.now();
    const exact = OT.emd([], [], M);
    const tEmd = performance.now() - t0;
    out.push(
      `EMD (network simplex), ${n}×${n}: W₂² = ${f(exact.cost)} in ${exact.iterations} pivots, ${tEmd.toFixed(0)} ms, converged=${exact.converged}`,
    );
    let dual = 0;
    for (let i = 0; i < n; i++) dual += (exact.u.data[i]! + exact.v.data[i]!) / n;
    out.push(`  duality check uᵀa + vᵀb = ${f(dual)} (gap ${Math.abs(dual - exact.cost).toExponential(1)})`);
    t0 = performance.now();
    const lap = OT.linearSumAssignment(M);
    out.push(
      `linear sum assignment: mean cost ${f(lap.cost / n)} (equals EMD for uniform clouds), ${(performance.now() - t0).toFixed(0)} ms`,
    );
    for (const reg of [1, 0.5]) {
      t0 = performance.now();
      const s = OT.sinkhorn([], [], M, reg, { method: "log", tol: 1e-9 });
      out.push(
        `log-Sinkhorn reg=${reg}: ⟨P, M⟩ = ${f(s.cost)} (EMD + ${f(s.cost - exact.cost)}), ${s.iterations} iterations, marginal error ${s.residual.toExponential(1)}, ${(performance.now() - t0).toFixed(0)} ms`,
      );
    }
    // Gradient of the debiased Sinkhorn divergence with respect to the source points (envelope theorem).
    const xs = X.slice(x, [[0, 40]]);
    const ys = X.slice(y, [[0, 40]]);
    const [val, g] = X.valueAndGrad((p: X.Tensor) => OT.sinkhornDivergence(p, ys, 1))(xs) as [X.Tensor, X.Tensor];
    const mean = X.mean(g, { axis: 0 }).data;
    out.push(
      `Sinkhorn divergence (40 points, reg 1) = ${f(val.item(), 4)}; mean gradient per point (${f(mean[0]!, 4)}, ${f(mean[1]!, 4)}) (−gradient points from x towards y)`,
    );
    const sw = OT.slicedWassersteinDistance(x, y, { nProjections: 100, seed: 1 }).item();
    out.push(`sliced W₂ (100 seeded projections) = ${f(sw, 4)}; √EMD = ${f(Math.sqrt(exact.cost), 4)}`);
    // Sparsity-constrained OT (Liu, Puigcerver & Blondel 2023): at most k targets per column.
    const xs2 = X.slice(x, [[0, 30]]);
    const ys2 = X.slice(y, [[0, 30]]);
    const Ms = OT.normalizeCost(OT.dist(xs2, ys2), "max");
    for (const k of [30, 2, 1]) {
      t0 = performance.now();
      const sp = OT.sparsityConstrainedOt([], [], Ms, 0.1, { maxNnz: k, maxIter: 2000 });
      let maxCol = 0;
      for (let j = 0; j < 30; j++) {
        let c = 0;
        for (let i = 0; i < 30; i++) if (sp.plan.data[i * 30 + j]! > 0) c++;
        maxCol = Math.max(maxCol, c);
      }
      out.push(
        `sparsity-constrained OT (30×30, reg 0.1, k=${k}): ⟨T, M⟩ = ${f(sp.cost, 4)}, ≤ ${maxCol} nonzeros per column, row-marginal error ${sp.residual.toExponential(1)}${sp.converged ? "" : " (non-smooth semi-dual for k < n: row marginals not met exactly)"}, ${sp.iterations} L-BFGS iterations, ${(performance.now() - t0).toFixed(0)} ms`,
      );
    }
    // LOPT: embed two clouds of different mass relative to x, then compare them in the embedding.
    const lambda = 2;
    const lopt = OT.loptEmbedding(
      { points: xs2 },
      [{ points: ys2 }, { points: X.slice(y, [[30, 50]]), weights: new Float64Array(20).fill(0.03) }],
      lambda,
    );
    const [e1, e2] = lopt.embeddings as [OT.LoptEmbedding, OT.LoptEmbedding];
    out.push(
      `LOPT embedding (λ=${lambda}): cloud 1 moves ${f(1 - e1.destroyedMass, 3)} of the reference mass, cloud 2 (mass 0.6) ${f(0.6 - e2.createdMass, 3)}; LOPT distance ${f(OT.loptDistance(e1, e2, lambda), 4)}`,
    );
    return out;
  },
};
