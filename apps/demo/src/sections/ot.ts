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
    return out;
  },
};
