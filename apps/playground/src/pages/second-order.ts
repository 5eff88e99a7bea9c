import * as Plot from "@observablehq/plot";
import type { SecondOrderResult } from "../compute/second-order.js";
import { fmt, type PageDef } from "../page.js";

export const secondOrderPage: PageDef = {
  id: "second-order",
  title: "Curvature",
  pkg: "@x/second-order",
  blurb:
    "Full-batch gradient descent with a fixed step η on a 1-16-1 tanh MLP (49 parameters, MSE on 32 noisy samples of sin 3x). Top: the training loss. Bottom: the sharpness λ_max of the Hessian ∇²L(θ), measured along the way, and the stability threshold 2/η of gradient descent on a quadratic. When λ_max climbs to 2/η the loss stops decreasing monotonically (the edge of stability).",
  controls: [
    { kind: "range", key: "eta", label: "step η", min: 0.01, max: 0.3, step: 0.005, value: 0.185 },
    { kind: "range", key: "steps", label: "steps", min: 50, max: 1000, step: 50, value: 300 },
    { kind: "range", key: "every", label: "λ_max every", min: 1, max: 50, step: 1, value: 10 },
    { kind: "range", key: "seed", label: "seed", min: 1, max: 30, step: 1, value: 1 },
  ],
  render(data, _params, el) {
    const r = data as SecondOrderResult;
    const width = Math.max(480, el.clientWidth - 24);
    el.append(
      Plot.plot({
        title: "training loss",
        width,
        height: 230,
        grid: true,
        x: { label: "step" },
        y: { type: "log", label: "loss", tickFormat: ".0e" },
        marks: [
          Plot.line(
            r.loss.filter((d) => Number.isFinite(d.loss)),
            { x: "k", y: "loss", stroke: "#2e86ab" },
          ),
        ],
      }),
      Plot.plot({
        title: "sharpness λ_max(∇²L) and 2/η",
        width,
        height: 230,
        grid: true,
        x: { label: "step" },
        y: { label: "λ_max" },
        marks: [
          Plot.ruleY([2 / r.eta], { stroke: "#d1495b", strokeDasharray: "6,4" }),
          Plot.text([{ y: 2 / r.eta }], {
            y: "y",
            frameAnchor: "left",
            text: () => "2/η",
            dx: 6,
            dy: -8,
            fill: "#d1495b",
          }),
          Plot.line(r.sharpness, { x: "k", y: "lambdaMax", stroke: "#333", marker: "circle" }),
        ],
      }),
    );
    const last = r.sharpness.at(-1)!;
    return [
      { key: "final-loss", label: "final loss", value: r.loss.at(-1)!.loss },
      { key: "lambda-0", label: "λ_max at step 0", value: r.sharpness[0]!.lambdaMax },
      { key: "lambda-max", label: `λ_max at step ${last.k}`, value: last.lambdaMax },
      { key: "threshold", label: "2/η", value: 2 / r.eta, text: fmt(2 / r.eta, 4) },
    ];
  },
};
