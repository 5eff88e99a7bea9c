// @x/kernels: exact GP regression with an ARD RBF kernel (fit hyperparameters by L-BFGS + predict) against
// scikit-learn's GaussianProcessRegressor (ConstantKernel·RBF(ARD) + WhiteKernel, one L-BFGS-B run,
// n_restarts_optimizer=0) on the same data; and a Gram matrix n = 2000 on the cpu (float64) and gpujs (float32) backends.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as K from "@x/kernels";
import * as X from "@x/tensor";
import { gpuJsMode } from "@x/tensor/gpu";
import { on, relErr } from "./gpu-cases.js";
import { pythonHas, runPython } from "./python.js";
import { timeIt } from "./timing.js";

export interface KernelsRow {
  case: string;
  x_s: number;
  peer: string;
  peer_s: number | null;
  /** peer time ÷ @x time (> 1: @x is faster). */
  speedup: number | null;
  notes: string;
}

const PY = `
import json, os, time, numpy as np, scipy.optimize
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import RBF, WhiteKernel, ConstantKernel as C
d = json.load(open(os.environ["GP_DATA"]))
X = np.array(d["x"]); y = np.array(d["y"]); Xs = np.array(d["xs"])
info = {}
# scikit-learn's own "fmin_l_bfgs_b" optimizer (same call), wrapped only to report its iteration and evaluation counts.
def lbfgsb(obj, theta0, bounds):
    r = scipy.optimize.minimize(obj, theta0, method="L-BFGS-B", jac=True, bounds=bounds)
    info.update(nit=int(r.nit), nfev=int(r.nfev))
    return r.x, r.fun
t0 = time.perf_counter()
gp = GaussianProcessRegressor(C(1.0) * RBF(np.ones(X.shape[1])) + WhiteKernel(0.1), alpha=0.0, n_restarts_optimizer=0,
                              optimizer=lbfgsb)
gp.fit(X, y)
mean, std = gp.predict(Xs, return_std=True)
t = time.perf_counter() - t0
print(json.dumps({"s": t, "lml": gp.log_marginal_likelihood_value_, "nit": info["nit"], "nfev": info["nfev"]}))
`;

function gpData(n: number, d: number) {
  const [a, b, c] = X.split(X.rng(0), 3);
  const x = X.uniform(a!, [n, d], -2, 2);
  const w = X.tensor(Array.from({ length: d }, (_, i) => [1, 0.5, 0.25, 2, 0, 0, 1, 0.1][i % 8]!));
  const y = X.add(X.sin(X.matmul(x, w)), X.mul(0.1, X.normal(b!, [n])));
  const xs = X.uniform(c!, [200, d], -2, 2);
  return { x, y, xs };
}

export function benchKernels(log: (s: string) => void, opts: { n?: number; d?: number } = {}): KernelsRow[] {
  const rows: KernelsRow[] = [];
  const n = opts.n ?? 1000;
  const d = opts.d ?? 8;
  const { x, y, xs } = gpData(n, d);
  log(`  GP ARD-RBF fit + predict, n = ${n}, d = ${d}`);
  const t0 = performance.now();
  const fit = K.fitGp(K.rbf({ lengthscale: Array(d).fill(1) }), x, y, { noise: 0.1 });
  const pred = K.gpPosterior(fit.kernel, x, y, { noise: fit.noise }).predict(xs);
  void pred.variance.data;
  const xs_s = (performance.now() - t0) / 1000;
  let peer: number | null = null;
  let notes = `@x: ${fit.iterations} L-BFGS iterations, ${fit.nfev} LML+gradient evaluations (${fit.message}), LML ${fit.logMarginalLikelihood.toFixed(6)}`;
  if (pythonHas("sklearn")) {
    const dir = mkdtempSync(join(tmpdir(), "xk-"));
    const file = join(dir, "gp.json");
    writeFileSync(file, JSON.stringify({ x: x.toArray(), y: y.toArray(), xs: xs.toArray() }));
    try {
      const r = runPython<{ s: number; lml: number; nit: number; nfev: number }>(PY, {
        GP_DATA: file,
        OPENBLAS_NUM_THREADS: "1",
        OMP_NUM_THREADS: "1",
      });
      peer = r.s;
      notes += `; scikit-learn: ${r.nit} L-BFGS-B iterations, ${r.nfev} evaluations, LML ${r.lml.toFixed(6)}`;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  rows.push({
    case: `GP ARD-RBF fit + predict n=${n} d=${d} (target < 10 s)`,
    x_s: xs_s,
    peer: "sklearn GaussianProcessRegressor (1 thread)",
    peer_s: peer,
    speedup: peer === null ? null : peer / xs_s,
    notes,
  });
  log(`  ${rows.at(-1)!.case}: @x ${xs_s.toFixed(2)} s, sklearn ${peer?.toFixed(2) ?? "not installed"} s`);

  // Gram matrix of an ARD RBF kernel, n = 2000, d = 8: cpu (float64) vs gpujs (float32).
  const g = X.uniform(X.rng(5), [2000, 8], -2, 2);
  const kern = K.rbf({ lengthscale: [1, 1.5, 2, 0.5, 1, 1, 3, 0.7] });
  const cpuK = kern.k(g);
  const cpu = timeIt(() => kern.k(g).data, { minRuns: 3, budgetMs: 1500 });
  const mode = gpuJsMode();
  const gpuK = on("gpujs", () => kern.k(g).data);
  const gpu = timeIt(() => on("gpujs", () => kern.k(g).data), { minRuns: 3, budgetMs: 1500 });
  rows.push({
    case: "RBF Gram n=2000 d=8",
    x_s: cpu,
    peer: `@x gpujs backend (${mode}, float32)`,
    peer_s: gpu,
    speedup: gpu / cpu,
    notes: `cpu float64 vs gpujs float32; max relative error of gpujs ${relErr(Float64Array.from(gpuK), cpuK.data).toExponential(1)}`,
  });
  log(`  ${rows.at(-1)!.case}: cpu ${(cpu * 1e3).toFixed(1)} ms, gpujs ${(gpu * 1e3).toFixed(1)} ms`);
  return rows;
}

const fmt = (v: number | null, digits = 3) => (v === null ? "—" : v.toPrecision(digits));

export function kernelsMarkdown(rows: KernelsRow[]): string[] {
  const out = [
    "## kernels — GP regression vs scikit-learn, Gram matrix cpu vs gpujs",
    "",
    "| case | @x s | peer | peer s | peer / @x | notes |",
    "| --- | ---: | --- | ---: | ---: | --- |",
  ];
  for (const r of rows) {
    out.push(`| ${r.case} | ${fmt(r.x_s)} | ${r.peer} | ${fmt(r.peer_s)} | ${fmt(r.speedup)} | ${r.notes} |`);
  }
  out.push("");
  return out;
}
