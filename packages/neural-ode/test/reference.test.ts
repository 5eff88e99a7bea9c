// Reference values: /work/shared/guides/algorithms.md (SciPy DOP853 at 1e-13) and SciPy fixtures.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { solveIvp } from "../src/index.js";
import type { MethodName } from "../src/types.js";
import { arenstorf, column, hires, lorenz, lotka, robertson, scaledErr, vdp, vdpJac } from "./problems.js";

const fixtures = JSON.parse(readFileSync(new URL("./fixtures/scipy-ivp.json", import.meta.url), "utf8")) as {
  cases: { name: string; tSpan: number[]; y0: number[]; t: number[]; y: number[][] }[];
};
const fixture = (name: string) => fixtures.cases.find((c) => c.name === name)!;

describe("published reference values (algorithms.md)", () => {
  const cases = [
    {
      name: "lorenz",
      f: lorenz,
      y0: [1, 1, 1],
      t1: 20,
      ref: [13.793199599260614, 12.95180394224456, 34.90160868509531],
    },
    { name: "lotka", f: lotka, y0: [10, 5], t1: 10, ref: [0.28721296420211223, 0.4497774635062142] },
    { name: "vdp1", f: vdp(1), y0: [2, 0], t1: 20, ref: [2.0081497621749382, -0.042508875273136626] },
  ];
  for (const c of cases) {
    it(`${c.name}: dop853 at rtol=atol=1e-13`, () => {
      const r = solveIvp(c.f, [0, c.t1], c.y0, { method: "dop853", rtol: 1e-13, atol: 1e-13 });
      expect(r.status).toBe(0);
      // Lorenz amplifies local errors by ~1e4 over [0, 20]; the others are well conditioned.
      const tol = c.name === "lorenz" ? 2e-6 : 1e-9;
      expect(scaledErr(r.yEnd, c.ref, tol, tol)).toBeLessThan(1);
    });
    for (const m of ["dopri5", "tsit5"] as const) {
      it(`${c.name}: ${m} at 1e-11`, () => {
        const r = solveIvp(c.f, [0, c.t1], c.y0, { method: m, rtol: 1e-11, atol: 1e-11 });
        expect(r.status).toBe(0);
        const tol = c.name === "lorenz" ? 5e-4 : 1e-7;
        expect(scaledErr(r.yEnd, c.ref, tol, tol)).toBeLessThan(1);
      });
    }
  }
});

describe("SciPy fixtures, non-stiff (DOP853 rtol=atol=1e-13)", () => {
  for (const [name, f] of [
    ["lotka", lotka],
    ["arenstorf", arenstorf],
  ] as const) {
    it(`${name} at the fixture's tEval`, () => {
      const c = fixture(name);
      const r = solveIvp(f, [c.tSpan[0]!, c.tSpan[1]!], c.y0, {
        method: "dop853",
        rtol: 1e-12,
        atol: 1e-12,
        tEval: c.t,
      });
      expect(r.status).toBe(0);
      c.t.forEach((_, j) => {
        expect(scaledErr(column(r.y, r.n, r.t.length, j), c.y[j]!, 1e-7, 1e-8)).toBeLessThan(1);
      });
    });
  }
});

describe("SciPy Radau fixtures, stiff (rtol 1e-10)", () => {
  const methods: MethodName[] = ["rodas4", "auto", "trbdf2"];
  for (const m of methods) {
    const tol = m === "trbdf2" ? 1e-3 : 1e-6;
    const abs = m === "trbdf2" ? 1e-9 : 1e-13;
    const rtol = m === "trbdf2" ? 1e-6 : 1e-9;
    it(`van der Pol μ=1000 on [0, 3000] with ${m}`, () => {
      const c = fixture("vdp1000");
      const r = solveIvp(vdp(1000), [0, 3000], c.y0, { method: m, rtol, atol: rtol, tEval: c.t, jac: vdpJac(1000) });
      expect(r.status).toBe(0);
      c.t.forEach((_, j) => {
        // y2 is O(1e3) during the fast jumps: compare each column in a norm scaled by its magnitude
        expect(scaledErr(column(r.y, 2, r.t.length, j), c.y[j]!, tol, tol)).toBeLessThan(1);
      });
    });
    it(`Robertson on [0, 1e5] with ${m}`, () => {
      const c = fixture("robertson");
      const r = solveIvp(robertson, [0, 1e5], c.y0, { method: m, rtol, atol: [1e-12, 1e-16, 1e-12], tEval: c.t });
      expect(r.status).toBe(0);
      c.t.forEach((_, j) => {
        const got = column(r.y, 3, r.t.length, j);
        const ref = c.y[j]!;
        for (let i = 0; i < 3; i++)
          expect(Math.abs(got[i]! - ref[i]!)).toBeLessThanOrEqual(tol * Math.abs(ref[i]!) + abs);
      });
    });
    it(`HIRES on [0, 321.8122] with ${m}`, () => {
      const c = fixture("hires");
      const r = solveIvp(hires, [0, 321.8122], c.y0, { method: m, rtol, atol: rtol * 1e-2, tEval: c.t });
      expect(r.status).toBe(0);
      c.t.forEach((_, j) => {
        expect(scaledErr(column(r.y, 8, r.t.length, j), c.y[j]!, tol, 1e-10)).toBeLessThan(1);
      });
    });
  }
});
