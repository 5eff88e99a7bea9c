// Dense and sparse linear algebra: @x/linalg vs ml-matrix (JS peer) vs NumPy/SciPy, same machine.
import * as L from "@x/linalg";
import * as X from "@x/tensor";
import {
  CholeskyDecomposition,
  EigenvalueDecomposition,
  LuDecomposition,
  Matrix,
  SingularValueDecomposition,
} from "ml-matrix";
import { pythonHas, runPython } from "./python.js";
import { timeIt } from "./timing.js";

export interface LinalgRow {
  case: string;
  x_ms: number;
  mlmatrix_ms: number | null;
  python_ms: number | null;
  x_over_mlmatrix: number | null;
  python_over_x: number | null;
}

const PY = `
import json, time, numpy as np, scipy.linalg as sl, scipy.sparse as sp, scipy.sparse.linalg as spl
def tm(f):
    f(); ts = []; end = time.perf_counter() + 1.5
    while len(ts) < 3 or (time.perf_counter() < end and len(ts) < 30):
        t0 = time.perf_counter(); f(); ts.append(time.perf_counter() - t0)
    ts.sort(); return ts[len(ts) // 2]
out = {}
rng = np.random.default_rng(0)
for n in [500, 1000]:
    b0 = rng.normal(size=(n, n)); a = b0 @ b0.T + n * np.eye(n); b = rng.normal(size=n)
    out[f"chol{n}"] = tm(lambda: sl.cho_solve(sl.cho_factor(a), b))
for n in [500, 1000]:
    a = rng.normal(size=(n, n)); b = rng.normal(size=n)
    out[f"lu{n}"] = tm(lambda: sl.lu_solve(sl.lu_factor(a), b))
m5 = rng.normal(size=(500, 500))
out["svd500"] = tm(lambda: np.linalg.svd(m5))
m = rng.normal(size=(300, 300)); s = m + m.T
out["svd300"] = tm(lambda: np.linalg.svd(m))
out["eigh300"] = tm(lambda: np.linalg.eigh(s))
n = 200; I = sp.identity(n); T = sp.diags([-1, 2, -1], [-1, 0, 1], shape=(n, n))
A = (sp.kron(I, T) + sp.kron(T, I)).tocsr(); rhs = np.ones(n * n)
out["cg200"] = tm(lambda: spl.cg(A, rhs, tol=1e-8, atol=0, maxiter=10000))
print(json.dumps(out))
`;

export function benchLinalg(log: (s: string) => void): LinalgRow[] {
  const py = pythonHas("scipy")
    ? runPython<Record<string, number>>(PY, { OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1" })
    : null;
  if (!py) log("  scipy not installed for /usr/bin/python3: NumPy/SciPy column left empty");
  const rows: LinalgRow[] = [];
  const add = (name: string, xT: number, mT: number | null, pyKey: string) => {
    const p = py?.[pyKey] ?? null;
    const row: LinalgRow = {
      case: name,
      x_ms: xT * 1e3,
      mlmatrix_ms: mT === null ? null : mT * 1e3,
      python_ms: p === null ? null : p * 1e3,
      x_over_mlmatrix: mT === null ? null : mT / xT,
      python_over_x: p === null ? null : p / xT,
    };
    log(
      `  ${name}: @x ${row.x_ms.toFixed(1)} ms, ml-matrix ${row.mlmatrix_ms?.toFixed(1) ?? "—"} ms, NumPy/SciPy ${row.python_ms?.toFixed(1) ?? "—"} ms`,
    );
    rows.push(row);
  };
  // V8 needs a few dozen calls before the blocked factorizations run fully optimised (the first SVDs at n = 300 take
  // ~5× the steady time); NumPy's timings are steady from the second call, so @x's dense rows warm up for 2 s.
  const steady = { warmupMs: 2000 };
  for (const n of [500, 1000]) {
    const b0 = X.normal(X.rng(n), [n, n]);
    const a = X.add(X.matmul(b0, X.transpose(b0)), X.mul(X.eye(n), n));
    const b = X.normal(X.rng(n + 1), [n]);
    const xT = timeIt(() => L.choleskySolve(L.cholesky(a).l, b), steady);
    const ma = new Matrix(a.toArray() as number[][]);
    const mb = Matrix.columnVector(Array.from(b.data));
    const mT = timeIt(() => new CholeskyDecomposition(ma).solve(mb), { minRuns: 1 });
    add(`Cholesky + solve n=${n}`, xT, mT, `chol${n}`);
  }
  // LU with partial pivoting + solve (blocked right-looking LU from n = 128 on).
  for (const n of [500, 1000]) {
    const a = X.normal(X.rng(n + 2), [n, n]);
    const b = X.normal(X.rng(n + 3), [n]);
    const ma = new Matrix(a.toArray() as number[][]);
    const mb = Matrix.columnVector(Array.from(b.data));
    add(
      `LU + solve n=${n}`,
      timeIt(() => L.solve(a, b), steady),
      timeIt(() => new LuDecomposition(ma).solve(mb), { minRuns: 1 }),
      `lu${n}`,
    );
  }
  const m = X.normal(X.rng(3), [300, 300]);
  const s = X.add(m, X.transpose(m));
  const mm = new Matrix(m.toArray() as number[][]);
  const ms = new Matrix(s.toArray() as number[][]);
  add(
    "SVD n=300",
    timeIt(() => L.svd(m), steady),
    timeIt(() => new SingularValueDecomposition(mm), { minRuns: 1 }),
    "svd300",
  );
  // Golub–Kahan–Reinsch SVD (the default method) one size up, where ml-matrix's unblocked GKR slows most.
  const m5 = X.normal(X.rng(5), [500, 500]);
  const mm5 = new Matrix(m5.toArray() as number[][]);
  add(
    "SVD n=500",
    timeIt(() => L.svd(m5), { ...steady, minRuns: 1 }),
    timeIt(() => new SingularValueDecomposition(mm5), { minRuns: 1 }),
    "svd500",
  );
  add(
    "eigh n=300",
    timeIt(() => L.eigh(s), steady),
    timeIt(() => new EigenvalueDecomposition(ms, { assumeSymmetric: true }), { minRuns: 1 }),
    "eigh300",
  );
  const A = L.poisson2d(200);
  const rhs = X.ones([A.shape[0]]);
  add(
    "CG, 2-D Poisson 200×200 (tol 1e-8)",
    timeIt(() => L.cg(A, rhs, { tol: 1e-8 })),
    null,
    "cg200",
  );
  return rows;
}
