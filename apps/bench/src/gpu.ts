// gpu.js backend ("gpujs", float32) against the cpu backend (float64) in Node: matmul GFLOP/s and a
// Sinkhorn-style loop (1000×1000 Gibbs kernel + 100 row/column scalings). In Node without the `gl`
// module gpu.js runs its WebAssembly mode (f32x4 SIMD, one thread under the sync contract), so these
// numbers compare two CPU paths (there matmul is the row-tiled kernel, matmul-tiled.ts, ~1.2–1.4× the flat
// one-thread-per-output kernel); in a browser the same ops run on WebGL. Times include reading the
// result back (tensors stay on the backend between ops; data moves only when read).
import * as X from "@x/tensor";
import { gpuJsMode } from "@x/tensor/gpu";
import { on, relErr, sinkhorn } from "./gpu-cases.js";
import { timeIt } from "./timing.js";

export interface GpuRow {
  case: string;
  /** gpu.js mode the gpujs column ran in ("webasm" in Node without `gl`). */
  mode: string;
  cpu_ms: number;
  gpujs_ms: number;
  /** GFLOP/s for matmul rows (2n³ flops), null otherwise. */
  cpu_gflops: number | null;
  gpujs_gflops: number | null;
  /** cpu time ÷ gpujs time (> 1: gpujs is faster). */
  speedup: number;
  /** max |gpujs − cpu| / max |cpu|: the float32 error of the gpujs result. */
  rel_err: number;
}

export function benchGpu(log: (s: string) => void): GpuRow[] {
  const mode = gpuJsMode();
  log(`  gpujs runs gpu.js mode "${mode}"`);
  const rows: GpuRow[] = [];
  for (const n of [256, 512, 1024]) {
    const da = X.normal(X.rng(1), [n, n]).data;
    const db = X.normal(X.rng(2), [n, n]).data;
    const run = (backend: string) =>
      on(backend, () => {
        const a = X.tensor(da, [n, n]);
        const b = X.tensor(db, [n, n]);
        let out: Float64Array = new Float64Array(0);
        const t = timeIt(
          () => {
            out = X.matmul(a, b).data;
          },
          { minRuns: 3, budgetMs: n >= 1024 ? 4000 : 1500 },
        );
        return { t, out };
      });
    const c = run("cpu");
    const g = run("gpujs");
    const flops = 2 * n ** 3;
    const row: GpuRow = {
      case: `matmul n=${n}`,
      mode,
      cpu_ms: c.t * 1e3,
      gpujs_ms: g.t * 1e3,
      cpu_gflops: flops / c.t / 1e9,
      gpujs_gflops: flops / g.t / 1e9,
      speedup: c.t / g.t,
      rel_err: relErr(g.out, c.out),
    };
    rows.push(row);
    log(
      `  ${row.case}: cpu ${row.cpu_gflops!.toFixed(2)} GFLOP/s, gpujs ${row.gpujs_gflops!.toFixed(2)} GFLOP/s (×${row.speedup.toFixed(2)}, rel err ${row.rel_err.toExponential(1)})`,
    );
  }
  {
    const n = 1000;
    const dx = X.uniform(X.rng(3), [n, 2]).data;
    const dy = X.uniform(X.rng(4), [n, 2]).data;
    const run = (backend: string) =>
      on(backend, () => {
        const x = X.tensor(dx, [n, 2]);
        const y = X.tensor(dy, [n, 2]);
        let out: Float64Array = new Float64Array(0);
        const t = timeIt(
          () => {
            out = sinkhorn(x, y, 0.05, 100).data;
          },
          { minRuns: 3, budgetMs: 3000 },
        );
        return { t, out };
      });
    const c = run("cpu");
    const g = run("gpujs");
    const row: GpuRow = {
      case: "Gibbs kernel 1000×1000 + 100 Sinkhorn scalings",
      mode,
      cpu_ms: c.t * 1e3,
      gpujs_ms: g.t * 1e3,
      cpu_gflops: null,
      gpujs_gflops: null,
      speedup: c.t / g.t,
      rel_err: relErr(g.out, c.out),
    };
    rows.push(row);
    log(
      `  ${row.case}: cpu ${row.cpu_ms.toFixed(1)} ms, gpujs ${row.gpujs_ms.toFixed(1)} ms (×${row.speedup.toFixed(2)}, rel err ${row.rel_err.toExponential(1)})`,
    );
  }
  return rows;
}
