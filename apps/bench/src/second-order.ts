// @x/second-order vs SciPy: L-BFGS, Newton-CG and trust-ncg on chained Rosenbrock (1000-d; autodiff, and the
// jac:true / hessp fast path that matches SciPy's analytic rosen_der / rosen_hess_prod), the 100-d Newton rows,
// ARC with lazy Hessians at n = 100 (no SciPy counterpart), and the HVP ÷ gradient cost on an MLP loss.
import { minimize } from "@x/second-order";
import * as X from "@x/tensor";
import { rosen, rosenHessp, rosenVg } from "@x/test-utils/problems";
import { pythonHas, runPython } from "./python.js";
import { timeIt } from "./timing.js";

export interface SecondOrderRow {
  case: string;
  x_ms: number;
  x_iterations: number | null;
  scipy_ms: number | null;
  scipy_iterations: number | null;
  scipy_over_x: number | null;
  note: string;
}

const start = (n: number) => X.tensor(Array.from({ length: n }, (_, i) => (i % 2 ? 1 : -1.2)));
const errInf = (x: X.Tensor) => Math.max(...Array.from(x.data, (v) => Math.abs(v - 1)));

const PY = `
import json, time, numpy as np
from scipy.optimize import minimize, rosen, rosen_der, rosen_hess_prod
def x0(n):
    x = np.ones(n); x[0::2] = -1.2; return x
def run(n, method, opts, **kw):
    best = None
    for _ in range(3):
        t = time.perf_counter(); r = minimize(rosen, x0(n), jac=rosen_der, method=method, options=opts, **kw); dt = time.perf_counter() - t
        best = dt if best is None else min(best, dt)
    return {"ms": best * 1e3, "nit": int(r.nit), "err": float(np.abs(r.x - 1).max())}
out = {
  "lbfgs1000": run(1000, "L-BFGS-B", {"gtol": 1e-10, "ftol": 1e-16, "maxiter": 50000}),
  "ncg100": run(100, "Newton-CG", {"xtol": 1e-10}, hessp=rosen_hess_prod),
  "tr100": run(100, "trust-ncg", {"gtol": 1e-9}, hessp=rosen_hess_prod),
  "ncg1000": run(1000, "Newton-CG", {"xtol": 1e-10}, hessp=rosen_hess_prod),
  "tr1000": run(1000, "trust-ncg", {"gtol": 1e-9}, hessp=rosen_hess_prod),
}
print(json.dumps(out))
`;

export function benchSecondOrder(log: (s: string) => void): SecondOrderRow[] {
  const py = pythonHas("scipy")
    ? runPython<Record<string, { ms: number; nit: number; err: number }>>(PY)
    : ({} as Record<string, { ms: number; nit: number; err: number }>);
  const rows: SecondOrderRow[] = [];
  const add = (
    name: string,
    key: string | null,
    fn: () => { iterations: number; x: unknown; nhev?: number },
    slow = false,
  ) => {
    let res = fn();
    // timeIt returns seconds; slow rows (autodiff Newton at n = 1000, tens of seconds) run once more only.
    const ms =
      1000 *
      timeIt(
        () => {
          res = fn();
        },
        { minRuns: 1, budgetMs: slow ? 0 : 3000, warmup: 0, warmupMs: 0 },
      );
    const p = key === null ? undefined : py[key];
    const row: SecondOrderRow = {
      case: name,
      x_ms: ms,
      x_iterations: res.iterations,
      scipy_ms: p?.ms ?? null,
      scipy_iterations: p?.nit ?? null,
      scipy_over_x: p ? p.ms / ms : null,
      note: `|x−1|∞ = ${errInf(res.x as X.Tensor).toExponential(1)}${res.nhev ? `, nhev ${res.nhev}` : ""}${p ? ` (SciPy ${p.err.toExponential(1)})` : ""}`,
    };
    rows.push(row);
    log(
      `${name}: ${ms.toFixed(1)} ms, ${res.iterations} it; SciPy ${p ? `${p.ms.toFixed(1)} ms, ${p.nit} it` : "n/a"}`,
    );
  };
  add("L-BFGS chained Rosenbrock n=1000 (autodiff)", "lbfgs1000", () =>
    minimize(rosen, start(1000), { method: "lbfgs", tol: 1e-10, maxIter: 50000 }),
  );
  add("L-BFGS chained Rosenbrock n=1000 (jac: true)", "lbfgs1000", () =>
    minimize(rosenVg, start(1000), { method: "lbfgs", tol: 1e-10, maxIter: 50000, jac: true }),
  );
  const fast = { jac: true, hessp: rosenHessp } as const;
  add("Newton-CG chained Rosenbrock n=1000 (jac + hessp)", "ncg1000", () =>
    minimize(rosenVg, start(1000), { method: "newton-cg", tol: 1e-9, maxIter: 20000, ...fast }),
  );
  add(
    "Newton-CG chained Rosenbrock n=1000 (autodiff HVPs)",
    "ncg1000",
    () => minimize(rosen, start(1000), { method: "newton-cg", tol: 1e-9, maxIter: 20000 }),
    true,
  );
  add("trust-ncg chained Rosenbrock n=1000 (jac + hessp)", "tr1000", () =>
    minimize(rosenVg, start(1000), { method: "trust-ncg", tol: 1e-9, maxIter: 20000, ...fast }),
  );
  add(
    "trust-ncg chained Rosenbrock n=1000 (autodiff HVPs)",
    "tr1000",
    () => minimize(rosen, start(1000), { method: "trust-ncg", tol: 1e-9, maxIter: 20000 }),
    true,
  );
  add("Newton-CG chained Rosenbrock n=100", "ncg100", () =>
    minimize(rosen, start(100), { method: "newton-cg", tol: 1e-9 }),
  );
  add("trust-ncg chained Rosenbrock n=100", "tr100", () =>
    minimize(rosen, start(100), { method: "trust-ncg", tol: 1e-9 }),
  );
  for (const lazyHessian of [1, 4]) {
    add(`ARC (eigh) chained Rosenbrock n=100, lazyHessian ${lazyHessian} (autodiff; no SciPy ARC)`, null, () =>
      minimize(rosen, start(100), { method: "arc", lazyHessian, tol: 1e-9, maxIter: 5000 }),
    );
  }
  // HVP ÷ gradient cost on an MLP loss (100→64→10 weights, batch 256: calls of a few ms, so GC pauses and timer
  // noise of sub-millisecond calls do not decide the ratio).
  const [k1, k2, k3, k4] = X.split(X.rng(0), 4) as [X.Key, X.Key, X.Key, X.Key];
  const xs = X.normal(k1, [256, 100]);
  const ys = X.normal(k2, [256, 10]);
  const p = { w1: X.mul(0.1, X.normal(k3, [100, 64])), w2: X.mul(0.1, X.normal(k4, [64, 10])) };
  const loss = (q: { w1: X.Tensor; w2: X.Tensor }) =>
    X.mean(X.square(X.sub(X.matmul(X.tanh(X.matmul(xs, q.w1)), q.w2), ys)));
  const v = { w1: X.onesLike(p.w1), w2: X.onesLike(p.w2) };
  const gMs = 1000 * timeIt(() => X.grad(loss)(p));
  const hMs = 1000 * timeIt(() => X.hvp(loss, p, v));
  rows.push({
    case: "MLP HVP ÷ gradient (100→64→10, batch 256)",
    x_ms: hMs,
    x_iterations: null,
    scipy_ms: null,
    scipy_iterations: null,
    scipy_over_x: null,
    note: `gradient ${gMs.toFixed(2)} ms, HVP ${hMs.toFixed(2)} ms, ratio ${(hMs / gMs).toFixed(2)} (target ≤ 3)`,
  });
  log(`MLP HVP/grad ratio ${(hMs / gMs).toFixed(2)}`);
  return rows;
}

export function secondOrderMarkdown(rows: SecondOrderRow[]): string[] {
  const f = (v: number | null, d = 1) => (v === null ? "—" : v.toFixed(d));
  return [
    "## second-order — @x/second-order vs SciPy 1.10 (`scipy.optimize.minimize`)",
    "",
    "| case | @x ms | @x iterations | SciPy ms | SciPy iterations | SciPy ÷ @x | note |",
    "|---|---|---|---|---|---|---|",
    ...rows.map(
      (r) =>
        `| ${r.case} | ${f(r.x_ms)} | ${r.x_iterations ?? "—"} | ${f(r.scipy_ms)} | ${r.scipy_iterations ?? "—"} | ${f(r.scipy_over_x, 2)} | ${r.note} |`,
    ),
  ];
}
