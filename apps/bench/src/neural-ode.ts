// ODE solvers: @x/neural-ode vs odex (JS peer, Gragg–Bulirsch–Stoer extrapolation) and SciPy solve_ivp, same machine.
// Lorenz on [0, 100] at rtol = atol = 1e-8 (explicit); van der Pol μ=1000 on [0, 3000] and Robertson on [0, 1e5]
// (stiff, @x auto/rodas4/trbdf2 vs SciPy LSODA/Radau/BDF); a work-precision table on Lotka–Volterra (error vs time).

import { createRequire } from "node:module";
import { type MethodName, solveIvp } from "@x/neural-ode";
import { pythonHas, runPython } from "./python.js";
import { timeIt } from "./timing.js";

export interface NeuralOdeRow {
  /** "lorenz" | "vdp1000" | "robertson" | "wp-lotka" */
  problem: string;
  solver: string;
  rtol: number;
  ms: number;
  nfev: number;
  /** max abs error at the end point vs a reference (work-precision rows), else null */
  err: number | null;
}

const LOTKA_REF = [0.28721296420211223, 0.4497774635062142];

const PY = `
import json, time, numpy as np
from scipy.integrate import solve_ivp
def tm(f):
    r = f(); ts = []; end = time.perf_counter() + 2.0
    while len(ts) < 3 or (time.perf_counter() < end and len(ts) < 20):
        t0 = time.perf_counter(); f(); ts.append(time.perf_counter() - t0)
    ts.sort(); return ts[len(ts) // 2], r
def lorenz(t, y): return [10*(y[1]-y[0]), y[0]*(28-y[2])-y[1], y[0]*y[1]-8/3*y[2]]
def vdp(t, y): return [y[1], 1000*(1-y[0]**2)*y[1]-y[0]]
def vdpjac(t, y): return [[0, 1], [-2000*y[0]*y[1]-1, 1000*(1-y[0]**2)]]
def rob(t, y): return [-0.04*y[0]+1e4*y[1]*y[2], 0.04*y[0]-1e4*y[1]*y[2]-3e7*y[1]**2, 3e7*y[1]**2]
def lotka(t, y): return [1.5*y[0]-y[0]*y[1], -3*y[1]+y[0]*y[1]]
out = []
def add(problem, solver, rtol, f):
    s, r = tm(f)
    out.append({"problem": problem, "solver": solver, "rtol": rtol, "ms": s*1e3, "nfev": int(r.nfev), "yEnd": r.y[:, -1].tolist()})
for m in ["RK45", "DOP853"]:
    add("lorenz", "scipy " + m, 1e-8, lambda: solve_ivp(lorenz, (0, 100), [1, 1, 1], method=m, rtol=1e-8, atol=1e-8))
for m in ["LSODA", "Radau", "BDF"]:
    add("vdp1000", "scipy " + m, 1e-6, lambda: solve_ivp(vdp, (0, 3000), [2, 0], method=m, rtol=1e-6, atol=1e-6, jac=vdpjac))
    add("robertson", "scipy " + m, 1e-6, lambda: solve_ivp(rob, (0, 1e5), [1, 0, 0], method=m, rtol=1e-6, atol=[1e-8, 1e-14, 1e-8]))
for tol in [1e-4, 1e-6, 1e-8, 1e-10]:
    for m in ["RK45", "DOP853"]:
        add("wp-lotka", "scipy " + m, tol, lambda: solve_ivp(lotka, (0, 10), [10, 5], method=m, rtol=tol, atol=tol))
print(json.dumps(out))
`;

// odex ships its TypeScript source, which fails our strict compiler settings; load the JS build and
// type the small part we use.
interface OdexSolver {
  absoluteTolerance: number;
  relativeTolerance: number;
  maxSteps: number;
  solve(f: (t: number, y: number[]) => number[], x0: number, y0: number[], x1: number): { y: number[]; nEval: number };
}
const { Solver } = createRequire(import.meta.url)("odex") as { Solver: new (n: number) => OdexSolver };

const lorenzOut = (_t: number, y: Float64Array, _a: unknown, out: Float64Array) => {
  out[0] = 10 * (y[1]! - y[0]!);
  out[1] = y[0]! * (28 - y[2]!) - y[1]!;
  out[2] = y[0]! * y[1]! - (8 / 3) * y[2]!;
};
const lorenzArr = (_t: number, y: number[]) => [
  10 * (y[1]! - y[0]!),
  y[0]! * (28 - y[2]!) - y[1]!,
  y[0]! * y[1]! - (8 / 3) * y[2]!,
];
const vdpOut = (_t: number, y: Float64Array, _a: unknown, out: Float64Array) => {
  out[0] = y[1]!;
  out[1] = 1000 * (1 - y[0]! * y[0]!) * y[1]! - y[0]!;
};
const vdpJac = (_t: number, y: Float64Array, _a: unknown, J: Float64Array) => {
  J[0] = 0;
  J[1] = 1;
  J[2] = -2000 * y[0]! * y[1]! - 1;
  J[3] = 1000 * (1 - y[0]! * y[0]!);
};
const robOut = (_t: number, y: Float64Array, _a: unknown, out: Float64Array) => {
  out[0] = -0.04 * y[0]! + 1e4 * y[1]! * y[2]!;
  out[1] = 0.04 * y[0]! - 1e4 * y[1]! * y[2]! - 3e7 * y[1]! * y[1]!;
  out[2] = 3e7 * y[1]! * y[1]!;
};
const lotkaOut = (_t: number, y: Float64Array, _a: unknown, out: Float64Array) => {
  out[0] = 1.5 * y[0]! - y[0]! * y[1]!;
  out[1] = -3 * y[1]! + y[0]! * y[1]!;
};
const lotkaArr = (_t: number, y: number[]) => [1.5 * y[0]! - y[0]! * y[1]!, -3 * y[1]! + y[0]! * y[1]!];

const maxErr = (y: ArrayLike<number>, ref: number[]) => Math.max(...ref.map((r, i) => Math.abs(y[i]! - r)));

export function benchNeuralOde(log: (s: string) => void): NeuralOdeRow[] {
  const rows: NeuralOdeRow[] = [];
  const push = (row: NeuralOdeRow) => {
    rows.push(row);
    log(
      `  ${row.problem} ${row.solver} rtol=${row.rtol}: ${row.ms.toFixed(2)} ms, nfev ${row.nfev}${row.err === null ? "" : `, err ${row.err.toExponential(2)}`}`,
    );
  };
  const xRun = (
    problem: string,
    method: MethodName,
    rtol: number,
    run: () => ReturnType<typeof solveIvp>,
    ref?: number[],
  ) => {
    const r = run();
    if (r.status !== 0) log(`  ${problem} ${method}: ${r.message}`);
    push({
      problem,
      solver: `@x ${method}`,
      rtol,
      ms: timeIt(run) * 1e3,
      nfev: r.stats.nfev,
      err: ref ? maxErr(r.yEnd, ref) : null,
    });
  };
  const odexRun = (
    problem: string,
    rtol: number,
    f: (t: number, y: number[]) => number[],
    y0: number[],
    t1: number,
    ref?: number[],
  ) => {
    const run = () => {
      const s = new Solver(y0.length);
      s.absoluteTolerance = rtol;
      s.relativeTolerance = rtol;
      s.maxSteps = 1e6;
      return s.solve(f, 0, y0, t1);
    };
    const r = run();
    push({ problem, solver: "odex", rtol, ms: timeIt(run) * 1e3, nfev: r.nEval, err: ref ? maxErr(r.y, ref) : null });
  };

  // Lorenz, explicit, rtol = atol = 1e-8
  for (const m of ["dopri5", "tsit5", "dop853"] as const) {
    xRun("lorenz", m, 1e-8, () =>
      solveIvp(lorenzOut, [0, 100], [1, 1, 1], { method: m, rtol: 1e-8, atol: 1e-8, maxSteps: 1e6 }),
    );
  }
  odexRun("lorenz", 1e-8, lorenzArr, [1, 1, 1], 100);

  // Stiff
  for (const m of ["auto", "rodas4", "trbdf2"] as const) {
    xRun("vdp1000", m, 1e-6, () =>
      solveIvp(vdpOut, [0, 3000], [2, 0], { method: m, rtol: 1e-6, atol: 1e-6, jac: vdpJac }),
    );
    xRun("robertson", m, 1e-6, () =>
      solveIvp(robOut, [0, 1e5], [1, 0, 0], { method: m, rtol: 1e-6, atol: [1e-8, 1e-14, 1e-8] }),
    );
  }

  // Work-precision on Lotka–Volterra (reference: SciPy DOP853 at 1e-13, algorithms.md)
  for (const tol of [1e-4, 1e-6, 1e-8, 1e-10]) {
    for (const m of ["dopri5", "tsit5", "dop853"] as const) {
      xRun(
        "wp-lotka",
        m,
        tol,
        () => solveIvp(lotkaOut, [0, 10], [10, 5], { method: m, rtol: tol, atol: tol }),
        LOTKA_REF,
      );
    }
    odexRun("wp-lotka", tol, lotkaArr, [10, 5], 10, LOTKA_REF);
  }

  if (pythonHas("scipy")) {
    const py = runPython<(Omit<NeuralOdeRow, "err"> & { yEnd: number[] })[]>(PY, { OPENBLAS_NUM_THREADS: "1" });
    for (const r of py) {
      push({
        problem: r.problem,
        solver: r.solver,
        rtol: r.rtol,
        ms: r.ms,
        nfev: r.nfev,
        err: r.problem === "wp-lotka" ? maxErr(r.yEnd, LOTKA_REF) : null,
      });
    }
  } else {
    log("  scipy not installed for /usr/bin/python3: SciPy rows left out");
  }
  return rows;
}

const fmt = (v: number | null, d = 2) => (v === null ? "—" : v.toFixed(d));

export function neuralOdeMarkdown(rows: NeuralOdeRow[]): string[] {
  const out: string[] = ["## neural-ode — ODE solvers vs odex and SciPy solve_ivp", ""];
  const find = (problem: string, solver: string, rtol?: number) =>
    rows.find((r) => r.problem === problem && r.solver === solver && (rtol === undefined || r.rtol === rtol));
  const section = (problem: string, title: string, base: string, baseLabel: string) => {
    const b = find(problem, base);
    out.push(`### ${title}`, "", `| solver | ms | nfev | ${baseLabel} ms / this ms |`, "|---|---:|---:|---:|");
    for (const r of rows.filter((x) => x.problem === problem)) {
      out.push(`| ${r.solver} | ${fmt(r.ms)} | ${r.nfev} | ${b ? fmt(b.ms / r.ms) : "—"} |`);
    }
    out.push("");
  };
  section("lorenz", "Lorenz, t ∈ [0, 100], rtol = atol = 1e-8 (ratio > 1: faster than odex)", "odex", "odex");
  section(
    "vdp1000",
    "Van der Pol μ = 1000, t ∈ [0, 3000], rtol = atol = 1e-6 (ratio > 1: faster than LSODA)",
    "scipy LSODA",
    "LSODA",
  );
  section("robertson", "Robertson, t ∈ [0, 1e5], rtol = 1e-6 (ratio > 1: faster than LSODA)", "scipy LSODA", "LSODA");
  out.push("### Work-precision, Lotka–Volterra t ∈ [0, 10] (max abs error at t = 10 vs SciPy DOP853 1e-13)", "");
  out.push("| solver | rtol=atol | ms | nfev | error |", "|---|---:|---:|---:|---:|");
  for (const r of rows.filter((x) => x.problem === "wp-lotka")) {
    out.push(
      `| ${r.solver} | ${r.rtol.toExponential(0)} | ${fmt(r.ms, 3)} | ${r.nfev} | ${r.err === null ? "—" : r.err.toExponential(2)} |`,
    );
  }
  out.push("");
  return out;
}
