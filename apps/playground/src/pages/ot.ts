import * as Plot from "@observablehq/plot";
import type { OtResult, PlanEntry } from "../compute/ot.js";
import { fmt, type PageDef } from "../page.js";

/** One panel: both clouds, and a link per plan entry with opacity ∝ mass. */
export function transportFigure(title: string, xs: number[][], ys: number[][], plan: PlanEntry[], width: number) {
  const links = plan.map(({ i, j, w }) => ({ x1: xs[i]![0], y1: xs[i]![1], x2: ys[j]![0], y2: ys[j]![1], w }));
  const pts = [
    ...xs.map(([x, y]) => ({ x, y, cloud: "source (blob)" })),
    ...ys.map(([x, y]) => ({ x, y, cloud: "target (ring)" })),
  ];
  const fig = document.createElement("div");
  const h = document.createElement("h3");
  h.textContent = title;
  fig.append(
    h,
    Plot.plot({
      width,
      height: Math.round(width * 0.6),
      x: { domain: [-3.2, 2.8], label: null },
      y: { domain: [-1.6, 1.6], label: null },
      color: { legend: true, domain: ["source (blob)", "target (ring)"], range: ["#2b6cb0", "#dd6b20"] },
      marks: [
        Plot.link(links, {
          x1: "x1",
          y1: "y1",
          x2: "x2",
          y2: "y2",
          stroke: "#555",
          strokeOpacity: (d: { w: number }) => 0.08 + 0.8 * d.w,
          strokeWidth: 1,
        }),
        Plot.dot(pts, { x: "x", y: "y", fill: "cloud", r: 3 }),
      ],
    }),
  );
  return fig;
}

export const otPage: PageDef = {
  id: "ot",
  title: "Optimal transport",
  pkg: "@x/ot",
  blurb:
    "Transport between a Gaussian blob and a noisy ring (uniform weights, squared Euclidean cost). Each line is a plan entry, darker for more mass. Left: the exact plan (network simplex), a sparse vertex of the transport polytope. Right: the entropic plan (log-domain Sinkhorn) that spreads mass as ε grows and approaches the exact one as ε → 0.",
  controls: [
    { kind: "range", key: "n", label: "points per cloud", min: 10, max: 120, step: 2, value: 40 },
    { kind: "range", key: "seed", label: "seed", min: 1, max: 50, step: 1, value: 7 },
    { kind: "range", key: "eps", label: "ε", min: -2.5, max: 0.5, step: 0.1, value: -1, log: true },
  ],
  render(data, _params, el) {
    const r = data as OtResult;
    const width = Math.max(360, (el.clientWidth - 40) / 2);
    const s = r.sinkhorn;
    const wrap = document.createElement("div");
    wrap.className = "plots";
    wrap.append(
      transportFigure(`EMD — cost ${fmt(r.emd.cost, 5)}`, r.xs, r.ys, r.emd.plan, width),
      transportFigure(`Sinkhorn ε = ${fmt(s.eps, 3)} — cost ${fmt(s.cost, 5)}`, r.xs, r.ys, s.plan, width),
    );
    const conv = Plot.plot({
      title: "Sinkhorn convergence",
      width: 2 * width + 16,
      height: 170,
      grid: true,
      x: { label: "Sinkhorn iteration" },
      y: { type: "log", label: "marginal error ‖Pᵀ1 − b‖", tickFormat: ".0e" },
      marks: [
        Plot.line(
          s.errors.map((e, k) => ({ k: k + 1, e: Math.max(e, 1e-300) })),
          { x: "k", y: "e", stroke: "#2e86ab" },
        ),
      ],
    });
    el.append(wrap, conv);
    return [
      { key: "emd-cost", label: "EMD cost ⟨P, M⟩", value: r.emd.cost },
      { key: "emd-links", label: "EMD plan non-zeros", value: r.emd.plan.length },
      { key: "emd-ms", label: "EMD time", value: r.emd.ms, text: `${fmt(r.emd.ms, 3)} ms` },
      { key: "sinkhorn-cost", label: "Sinkhorn cost ⟨P, M⟩", value: s.cost },
      { key: "sinkhorn-entropic", label: "Sinkhorn entropic objective", value: s.entropicCost },
      {
        key: "sinkhorn-iterations",
        label: "Sinkhorn iterations",
        value: s.iterations,
        text: `${s.iterations}${s.converged ? "" : " (not converged)"}`,
      },
      { key: "gap", label: "Sinkhorn − EMD cost", value: s.cost - r.emd.cost },
      { key: "sinkhorn-ms", label: "Sinkhorn time", value: s.ms, text: `${fmt(s.ms, 3)} ms` },
    ];
  },
};
