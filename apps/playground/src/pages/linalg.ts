import * as Plot from "@observablehq/plot";
import type { LinalgResult } from "../compute/linalg.js";
import { fmt, type PageDef } from "../page.js";

export const linalgPage: PageDef = {
  id: "linalg",
  title: "Linear algebra",
  pkg: "@x/linalg",
  blurb:
    "Preconditioned conjugate gradients on the 5-point Poisson matrix poisson2d(n) (n² unknowns, b = 1): relative residual per iteration for no preconditioner, Jacobi, SSOR and incomplete Cholesky IC(0). On this matrix the diagonal is constant, so Jacobi coincides with no preconditioning.",
  controls: [
    { kind: "range", key: "n", label: "grid n", min: 8, max: 128, step: 4, value: 48 },
    { kind: "range", key: "tol", label: "tol", min: -12, max: -3, step: 1, value: -8, log: true },
    { kind: "range", key: "omega", label: "SSOR ω", min: 0.1, max: 1.9, step: 0.1, value: 1.5 },
  ],
  render(data, _params, el) {
    const r = data as LinalgResult;
    const rows = r.runs.flatMap((run) => run.relResiduals.map((res, k) => ({ method: run.method, k, res })));
    const last = r.runs.map((run) => ({ method: run.method, k: run.iterations, res: run.relResiduals.at(-1)! }));
    el.append(
      Plot.plot({
        width: Math.max(480, el.clientWidth - 24),
        height: 420,
        marginLeft: 60,
        grid: true,
        x: { label: "iteration" },
        y: { type: "log", label: "‖b − A x‖ / ‖b‖", tickFormat: ".0e" },
        color: { legend: true, domain: r.runs.map((run) => run.method) },
        marks: [
          Plot.ruleY([r.tol], { stroke: "#999", strokeDasharray: "4,4" }),
          Plot.line(
            rows.filter((d) => d.method !== "none"),
            { x: "k", y: "res", stroke: "method", strokeWidth: 1.8 },
          ),
          // dashed on top: Jacobi coincides with it on Poisson, and would hide it
          Plot.line(
            rows.filter((d) => d.method === "none"),
            { x: "k", y: "res", stroke: "method", strokeWidth: 2, strokeDasharray: "6,4" },
          ),
          Plot.dot(last, { x: "k", y: "res", fill: "method", r: 4 }),
          Plot.text(last, { x: "k", y: "res", text: (d: { k: number }) => `${d.k}`, dx: 8, textAnchor: "start" }),
        ],
      }),
    );
    return [
      { key: "unknowns", label: "unknowns (n²)", value: r.unknowns },
      { key: "nnz", label: "non-zeros", value: r.nnz },
      ...r.runs.map((run) => ({
        key: `iters-${run.method}`,
        label: `${run.method} iterations`,
        value: run.iterations,
        text: `${run.iterations}${run.converged ? "" : " (not converged)"} · ${fmt(run.setupMs + run.solveMs, 3)} ms`,
      })),
    ];
  },
};
