// External references: scikit-learn/SciPy hypergradients (tooling/reference/bilevel-*.py).
import { readFileSync } from "node:fs";
import * as X from "@x/tensor";
import { expectClose } from "@x/test-utils";
import { describe, expect, it } from "vitest";
import { hypergradient, logisticProblem, ridgeProblem } from "../src/index.js";

interface Fixture {
  X: number[][];
  y: number[];
  trainRows: [number, number];
  valRows: [number, number];
  cases: { lambda: number | number[]; w: number[]; value: number; grad: number | number[] }[];
}
const load = (name: string): Fixture =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8")) as Fixture;

function split(f: Fixture) {
  const rows = (r: [number, number]) => [X.tensor(f.X.slice(r[0], r[1])), X.tensor(f.y.slice(r[0], r[1]))] as const;
  const [Xtr, ytr] = rows(f.trainRows);
  const [Xv, yv] = rows(f.valRows);
  return { Xtr, ytr, Xv, yv };
}

describe("ridge on diabetes (train 0–299, validation 300–441) vs scikit-learn/SciPy", () => {
  const f = load("ridge-diabetes.json");
  const { Xtr, ytr, Xv, yv } = split(f);
  const p = ridgeProblem(Xtr, ytr, Xv, yv);
  it.each(f.cases.map((c, i) => [i, c] as const))("case %i: implicit (CG) and closed form match", (_i, c) => {
    const r = hypergradient(p.outer, p.inner, c.lambda, { x0: p.x0, innerSolver: (_x, l) => p.closedForm(l).w });
    expect(r.linearSolve.converged).toBe(true);
    expectClose(r.grad, c.grad, { rtol: 1e-7, atol: 1e-6 }, "implicit grad");
    expectClose(r.value, c.value, { rtol: 1e-10 }, "value");
    expectClose(r.x, c.w, { rtol: 1e-8, atol: 1e-6 }, "w*");
    expectClose(p.closedForm(c.lambda).grad, c.grad, { rtol: 1e-8, atol: 1e-6 }, "closed form");
  });
  it("default L-BFGS inner solver reaches the reference too", () => {
    const c = f.cases[3]!;
    const r = hypergradient(p.outer, p.inner, c.lambda, { x0: p.x0 });
    expect(r.innerResult.converged).toBe(true);
    expectClose(r.grad, c.grad, { rtol: 1e-6, atol: 1e-6 }, "grad");
  });
});

describe("L2-logistic on breast cancer vs scikit-learn/SciPy", () => {
  const f = load("logistic-cancer.json");
  const { Xtr, ytr, Xv, yv } = split(f);
  const p = logisticProblem(Xtr, ytr, Xv, yv);
  it.each(f.cases.map((c, i) => [i, c] as const))("case %i: implicit hypergradient matches", (_i, c) => {
    const r = hypergradient(p.outer, p.inner, c.lambda, { x0: p.x0 });
    expect(r.innerResult.converged).toBe(true);
    expect(r.linearSolve.converged).toBe(true);
    expectClose(r.x, c.w, { rtol: 1e-6, atol: 1e-7 }, "w*");
    expectClose(r.value, c.value, { rtol: 1e-7 }, "value");
    expectClose(r.grad, c.grad, { rtol: 1e-6, atol: 1e-8 }, "grad");
  });
});
