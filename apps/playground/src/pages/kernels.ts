import * as Plot from "@observablehq/plot";
import type { GpResult } from "../compute/kernels.js";
import { fmt, type PageDef, type Summary } from "../page.js";

// the names makeKernel (compute/gp-data.ts) understands; listed here so the page bundle stays free of the library
const KERNELS = ["rbf", "matern12", "matern32", "matern52", "rationalQuadratic"];

export const kernelsPage: PageDef = {
  id: "kernels",
  title: "Gaussian processes",
  pkg: "@x/kernels",
  blurb:
    "GP regression on noisy samples of sin x + 0.3 sin 3x (no data in the middle): posterior mean and ±2σ band of the latent function. Move the hyperparameters and watch the band and the log marginal likelihood, or tick “fit” to maximise it with L-BFGS from the slider values.",
  controls: [
    { kind: "select", key: "kernel", label: "kernel", options: KERNELS, value: "rbf" },
    {
      kind: "range",
      key: "lengthscale",
      label: "lengthscale ℓ",
      min: -1.5,
      max: 1,
      step: 0.05,
      value: -0.3,
      log: true,
    },
    { kind: "range", key: "variance", label: "variance σ²", min: -2, max: 1, step: 0.1, value: 0, log: true },
    { kind: "range", key: "noise", label: "noise σₙ²", min: -5, max: 0, step: 0.1, value: -2, log: true },
    { kind: "range", key: "n", label: "points", min: 5, max: 80, step: 1, value: 25 },
    { kind: "range", key: "seed", label: "seed", min: 1, max: 50, step: 1, value: 3 },
    { kind: "checkbox", key: "fit", label: "fit (max. likelihood)", value: false },
  ],
  render(data, _params, el) {
    const r = data as GpResult;
    const band = r.grid.map((x, i) => ({
      x,
      mean: r.mean[i]!,
      lo: r.mean[i]! - 2 * r.sd[i]!,
      hi: r.mean[i]! + 2 * r.sd[i]!,
    }));
    const truth = r.grid.map((x) => ({ x, f: Math.sin(x) + 0.3 * Math.sin(3 * x) }));
    el.append(
      Plot.plot({
        title: "posterior mean ± 2σ (dashed: the true function, dots: data)",
        width: Math.max(480, el.clientWidth - 24),
        height: 380,
        grid: true,
        x: { label: "x" },
        y: { label: "f(x)", domain: [-3, 3] },
        marks: [
          Plot.areaY(band, { x: "x", y1: "lo", y2: "hi", fill: "#2e86ab", fillOpacity: 0.2, clip: true }),
          Plot.line(truth, { x: "x", y: "f", stroke: "#999", strokeDasharray: "4,3" }),
          Plot.line(band, { x: "x", y: "mean", stroke: "#2e86ab", strokeWidth: 2, clip: true }),
          Plot.dot(
            r.x.map((x, i) => ({ x, y: r.y[i]! })),
            { x: "x", y: "y", fill: "#d1495b", r: 3.5 },
          ),
        ],
      }),
    );
    if (r.fit) {
      el.append(
        Plot.plot({
          title: "hyperparameter fit",
          width: Math.max(480, el.clientWidth - 24),
          height: 150,
          grid: true,
          x: { label: "L-BFGS iteration" },
          y: { label: "−log marginal likelihood" },
          marks: [
            Plot.line(
              r.fit.history.map((v, k) => ({ k: k + 1, v })),
              { x: "k", y: "v", stroke: "#d1495b", marker: "circle" },
            ),
          ],
        }),
      );
    }
    const hyper: Summary[] = Object.entries(r.hyper).map(([k, v]) => ({
      key: `hyper-${k}`,
      label: k,
      value: Array.isArray(v) ? v.join(",") : v,
      text: Array.isArray(v) ? v.map((u) => fmt(u, 4)).join(", ") : fmt(v, 4),
    }));
    return [
      { key: "lml", label: "log marginal likelihood", value: r.lml },
      { key: "mean-5", label: "posterior mean at x = 5", value: r.mean[100]! },
      { key: "sd-5", label: "posterior σ at x = 5", value: r.sd[100]! },
      ...hyper,
      { key: "noise", label: "noise σₙ²", value: r.noise, text: fmt(r.noise, 4) },
      ...(r.fit
        ? [
            {
              key: "fit-iterations",
              label: "L-BFGS iterations",
              value: r.fit.iterations,
              text: `${r.fit.iterations}${r.fit.converged ? "" : " (not converged)"}`,
            },
          ]
        : []),
    ];
  },
};
