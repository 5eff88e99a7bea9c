// float64 matmul GFLOP/s: @x/tensor vs ml-matrix (JS peer) vs NumPy/OpenBLAS (1 thread), same machine.
import * as X from "@x/tensor";
import { Matrix } from "ml-matrix";
import { pythonHas, runPython } from "./python.js";
import { timeIt } from "./timing.js";

export interface MatmulRow {
  n: number;
  x_gflops: number;
  mlmatrix_gflops: number;
  numpy_gflops: number | null;
  x_over_mlmatrix: number;
  x_over_numpy: number | null;
}

const NUMPY = `
import json, time, numpy as np
out = {}
for n in [128, 256, 512, 1024]:
    a = np.random.default_rng(0).normal(size=(n, n)); b = np.random.default_rng(1).normal(size=(n, n))
    a @ b
    ts = []
    t_end = time.perf_counter() + 1.5
    while len(ts) < 3 or (time.perf_counter() < t_end and len(ts) < 50):
        t0 = time.perf_counter(); a @ b; ts.append(time.perf_counter() - t0)
    ts.sort(); out[n] = ts[len(ts) // 2]
print(json.dumps(out))
`;

export function benchMatmul(log: (s: string) => void): MatmulRow[] {
  const numpy = pythonHas("numpy")
    ? runPython<Record<string, number>>(NUMPY, {
        OPENBLAS_NUM_THREADS: "1",
        OMP_NUM_THREADS: "1",
        MKL_NUM_THREADS: "1",
      })
    : null;
  if (!numpy) log("  numpy not installed for /usr/bin/python3: numpy column left empty");
  const rows: MatmulRow[] = [];
  for (const n of [128, 256, 512, 1024]) {
    const flops = 2 * n ** 3;
    const a = X.normal(X.rng(n), [n, n]);
    const b = X.normal(X.rng(n + 1), [n, n]);
    const tx = timeIt(() => X.matmul(a, b));
    const ma = new Matrix(a.toArray() as number[][]);
    const mb = new Matrix(b.toArray() as number[][]);
    const tm = timeIt(() => ma.mmul(mb), { minRuns: n >= 1024 ? 1 : 3 });
    const tn = numpy ? numpy[String(n)]! : null;
    const row: MatmulRow = {
      n,
      x_gflops: flops / tx / 1e9,
      mlmatrix_gflops: flops / tm / 1e9,
      numpy_gflops: tn ? flops / tn / 1e9 : null,
      x_over_mlmatrix: tm / tx,
      x_over_numpy: tn ? tn / tx : null,
    };
    log(
      `  n=${n}: @x ${row.x_gflops.toFixed(2)} GFLOP/s, ml-matrix ${row.mlmatrix_gflops.toFixed(2)}, numpy ${row.numpy_gflops?.toFixed(2) ?? "—"}`,
    );
    rows.push(row);
  }
  return rows;
}
