import * as Plot from "@observablehq/plot";
import type { BilevelResult } from "../compute/bilevel.js";
import { fmt, type PageDef } from "../page.js";

const COLOR = { legend: true, domain: ["implicit", "unrolled"], range: ["#2e86ab", "#d1495b"] };

export const bilevelPage: PageDef = {
  id: "bilevel",
  title: "Bilevel",
  pkg: "@x/bilevel",
  blurb:
    "Ridge regression whose log-regulariser λ is learnt on a validation set: F(λ) = ½‖X_val w*(λ) − y_val‖², w*(λ) = argmin ½‖X w − y‖² + ½e^λ‖w‖². Hypergradient descent λ ← λ − η∇F(λ) with ∇F by implicit differentiation (exact inner solve) and by unrolling K inner gradient steps (biased for small K). The grey curve is F by the closed form.",
  controls: [
    { kind: "range", key: "lambda0", label: "start λ₀", min: -4, max: 9, step: 0.5, value: 7 },
    { kind: "range", key: "lr", label: "step η", min: -3, max: -0.5, step: 0.1, value: -1.3, log: true },
    { kind: "range", key: "steps", label: "outer steps", min: 2, max: 40, step: 1, value: 12 },
    { kind: "range", key: "innerSteps", label: "unrolled K", min: 1, max: 100, step: 1, value: 10 },
    { kind: "range", key: "seed", label: "data seed", min: 1, max: 30, step: 1, value: 1 },
  ],
  render(data, _params, el) {
    const r = data as BilevelResult;
    const pts = r.paths.flatMap((p) => p.points.map((q) => ({ ...q, method: p.method })));
    const arrows = r.paths.flatMap((p) =>
      p.points.slice(1).map((q, i) => ({
        method: p.method,
        x1: p.points[i]!.lambda,
        y1: p.points[i]!.value,
        x2: q.lambda,
        y2: q.value,
      })),
    );
    const width = Math.max(380, (el.clientWidth - 40) / 2);
    const wrap = document.createElement("div");
    wrap.className = "plots";
    wrap.append(
      Plot.plot({
        title: "validation loss along the descent",
        width,
        height: 340,
        grid: true,
        x: { label: "λ = log regulariser" },
        y: { label: "validation loss F(λ)" },
        color: COLOR,
        marks: [
          Plot.line(r.curve, { x: "lambda", y: "value", stroke: "#aaa", strokeWidth: 2 }),
          Plot.arrow(arrows, {
            x1: "x1",
            y1: "y1",
            x2: "x2",
            y2: "y2",
            stroke: "method",
            strokeOpacity: 0.7,
            headLength: 6,
          }),
          Plot.dot(pts, { x: "lambda", y: "value", stroke: "method", r: 3.5 }),
        ],
      }),
      Plot.plot({
        title: "λ per outer step (dashed: closed-form optimum)",
        width,
        height: 340,
        grid: true,
        x: { label: "outer step" },
        y: { label: "λ" },
        color: COLOR,
        marks: [
          Plot.ruleY([r.best.lambda], { stroke: "#aaa", strokeDasharray: "4,4" }),
          // implicit wide underneath, unrolled dashed on top: the paths often nearly coincide
          Plot.line(
            pts.filter((q) => q.method === "implicit"),
            { x: "k", y: "lambda", stroke: "method", strokeWidth: 4, strokeOpacity: 0.6 },
          ),
          Plot.line(
            pts.filter((q) => q.method === "unrolled"),
            { x: "k", y: "lambda", stroke: "method", strokeDasharray: "5,3", marker: "circle" },
          ),
        ],
      }),
    );
    el.append(wrap);
    return [
      ...r.paths.flatMap((p) => [
        { key: `lambda-${p.method}`, label: `${p.method}: final λ`, value: p.points.at(-1)!.lambda },
        { key: `value-${p.method}`, label: `${p.method}: final F(λ)`, value: p.points.at(-1)!.value },
        { key: `grad0-${p.method}`, label: `${p.method}: ∇F(λ₀)`, value: p.points[0]!.grad },
        { key: `ms-${p.method}`, label: `${p.method}: time`, value: p.ms, text: `${fmt(p.ms, 3)} ms` },
      ]),
      { key: "grad0-closed", label: "closed form ∇F(λ₀)", value: r.closedFormGrad0 },
      {
        key: "best-lambda",
        label: "best λ on the grid (closed form)",
        value: r.best.lambda,
        text: fmt(r.best.lambda, 4),
      },
    ];
  },
};
