import * as Plot from "@observablehq/plot";
import type { OdeResult } from "../compute/neural-ode.js";
import { fmt, type PageDef } from "../page.js";

export const neuralOdePage: PageDef = {
  id: "neural-ode",
  title: "ODE solvers",
  pkg: "@x/neural-ode",
  blurb:
    "Van der Pol in its stiff scaling, y₁' = y₂, y₂' = ((1 − y₁²)y₂ − y₁)/ε with ε = 1/μ², from (2, −0.66) over about 1.5 periods. Left: phase portraits with a marker at every accepted step; right: the step size each solver's error control chose. Raise μ to make it stiffer: the explicit method is held back by stability and needs ever more (tiny) steps, the stiff one does not (μ = 1000 makes the explicit one hit its step limit; cancel if it takes too long).",
  controls: [
    { kind: "range", key: "mu", label: "stiffness μ", min: 0, max: 3, step: 0.1, value: 1.5, log: true },
    { kind: "range", key: "rtol", label: "rtol", min: -8, max: -3, step: 1, value: -4, log: true },
    {
      kind: "select",
      key: "explicit",
      label: "explicit",
      options: ["tsit5", "dopri5", "bosh3", "dop853"],
      value: "tsit5",
    },
    { kind: "select", key: "stiff", label: "stiff", options: ["rodas4", "trbdf2", "auto"], value: "rodas4" },
  ],
  render(data, _params, el) {
    const r = data as OdeResult;
    const methods = r.runs.map((run) => run.method);
    const pts = r.runs.flatMap((run) => run.y1.map((y1, i) => ({ method: run.method, y1, y2: run.y2[i]! })));
    const steps = r.runs.flatMap((run) => run.t.map((t, i) => ({ method: run.method, t, h: run.h[i]! })));
    const width = Math.max(380, (el.clientWidth - 40) / 2);
    const color = { legend: true, domain: methods, range: ["#d1495b", "#2e86ab"] };
    const wrap = document.createElement("div");
    wrap.className = "plots";
    const phase = Plot.plot({
      title: "phase portrait (y₁, y₂), one marker per accepted step",
      width,
      height: width * 0.9,
      grid: true,
      x: { label: "y₁" },
      y:
        r.mu > 5
          ? { label: "y₂ (symlog scale)", type: "symlog", ticks: [-1e4, -1e3, -100, -10, -1, 0, 1, 10, 100, 1e3, 1e4] }
          : { label: "y₂" },
      color,
      marks: [
        Plot.line(pts, { x: "y1", y: "y2", stroke: "method", strokeOpacity: 0.5, z: "method" }),
        Plot.dot(pts, { x: "y1", y: "y2", stroke: "method", r: 2.2 }),
      ],
    });
    const hplot = Plot.plot({
      title: "step size chosen by the error control",
      width,
      height: width * 0.9,
      grid: true,
      x: { label: "t" },
      y: { label: "step size h", type: "log", tickFormat: ".0e" },
      color,
      marks: [Plot.dot(steps, { x: "t", y: "h", fill: "method", r: 1.8 })],
    });
    wrap.append(phase, hplot);
    el.append(wrap);
    return r.runs.flatMap((run) => [
      {
        key: `steps-${run.method}`,
        label: `${run.method} accepted steps`,
        value: run.accepted,
        text: `${run.accepted} (+${run.rejected} rejected)${run.success ? "" : ` — ${run.message}`}`,
      },
      { key: `nfev-${run.method}`, label: `${run.method} f evaluations`, value: run.nfev },
      { key: `yend-${run.method}`, label: `${run.method} y₁(t₁)`, value: run.yEnd[0]! },
      { key: `ms-${run.method}`, label: `${run.method} time`, value: run.ms, text: `${fmt(run.ms, 3)} ms` },
    ]);
  },
};
