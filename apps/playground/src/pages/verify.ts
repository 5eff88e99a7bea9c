import * as Plot from "@observablehq/plot";
import type { VerifyPageResult } from "../compute/verify.js";
import { fmt, type PageDef, type Summary } from "../page.js";

const COLORS = { domain: ["ibp", "crown", "alpha-crown", "samples"], range: ["#d1495b", "#edae49", "#2e86ab", "#333"] };

export const verifyPage: PageDef = {
  id: "verify",
  title: "Verification",
  pkg: "@x/verify",
  blurb:
    "A seeded 2-24-24-3 ReLU network on the box x₀ ± ε. Each bar is a sound interval for one output: interval bound propagation (IBP), CROWN's linear relaxation and α-CROWN's optimised slopes; grey dots are 400 sampled outputs, always inside. Branch and bound then tries to prove that the class predicted at x₀ stays on top over the whole box (unsat = proven robust, sat = counterexample found).",
  controls: [
    { kind: "range", key: "eps", label: "radius ε", min: -2, max: 0, step: 0.05, value: -1, log: true },
    { kind: "range", key: "seed", label: "network seed", min: 1, max: 30, step: 1, value: 4 },
    { kind: "range", key: "alphaIters", label: "α-CROWN steps", min: 0, max: 100, step: 5, value: 20 },
    { kind: "range", key: "timeout", label: "BaB timeout (s)", min: 1, max: 30, step: 1, value: 10 },
  ],
  render(data, _params, el) {
    const r = data as VerifyPageResult;
    const bars = r.bounds.flatMap((b) =>
      b.lower.map((lo, j) => ({ output: `y${j}`, method: b.method, lo, hi: b.upper[j]! })),
    );
    const dots = r.samples.flatMap((s) => s.map((v, j) => ({ output: `y${j}`, method: "samples", v })));
    el.append(
      Plot.plot({
        title: "output bounds over the box x₀ ± ε",
        width: Math.max(480, el.clientWidth - 24),
        height: 330,
        marginLeft: 90,
        grid: true,
        x: { label: "output value" },
        y: { domain: COLORS.domain, label: null },
        fy: { label: null },
        color: { legend: true, ...COLORS },
        marks: [
          Plot.ruleY(bars, { fy: "output", y: "method", x1: "lo", x2: "hi", stroke: "method", strokeWidth: 6 }),
          Plot.tickX(bars, { fy: "output", y: "method", x: "lo", stroke: "method" }),
          Plot.tickX(bars, { fy: "output", y: "method", x: "hi", stroke: "method" }),
          Plot.dot(dots, { fy: "output", y: "method", x: "v", r: 1.5, fill: "#333", fillOpacity: 0.4 }),
        ],
      }),
    );
    if (r.bab.progress.length > 4) {
      el.append(
        Plot.plot({
          width: Math.max(480, el.clientWidth - 24),
          height: 150,
          grid: true,
          x: { label: "seconds" },
          y: { label: "BaB domains" },
          marks: [Plot.line(r.bab.progress, { x: "t", y: "domains", stroke: "#2e86ab", marker: "circle" })],
        }),
      );
    }
    const widths: Summary[] = r.bounds.flatMap((b) =>
      b.lower.map((lo, j) => ({
        key: `${b.method}-${j}`,
        label: `${b.method} y${j}`,
        value: `${lo},${b.upper[j]}`,
        text: `[${fmt(lo, 4)}, ${fmt(b.upper[j]!, 4)}]`,
      })),
    );
    return [
      {
        key: "bab-status",
        label: `BaB: class ${r.c} robust?`,
        value: r.bab.status,
        text: `${r.bab.status}${r.bab.status === "unsat" ? " (proven)" : r.bab.status === "sat" ? " (counterexample)" : ""}${r.bab.reason ? ` — ${r.bab.reason}` : ""}`,
      },
      { key: "bab-domains", label: "BaB domains", value: r.bab.domains },
      { key: "bab-time", label: "BaB time", value: r.bab.time, text: `${fmt(r.bab.time, 3)} s` },
      ...widths,
    ];
  },
};
