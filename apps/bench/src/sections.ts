// The benchmark sections `pnpm bench` knows. Each runs its workload and turns its rows into markdown;
// package benchmarks live in their own file (ot.ts, verify.ts, …) and are listed in packages.ts.
import { type AutodiffRow, benchAutodiff } from "./autodiff.js";
import { benchGpu, type GpuRow } from "./gpu.js";
import { benchGpuBrowser, type GpuBrowserRow } from "./gpu-browser.js";
import { benchLinalg, type LinalgRow } from "./linalg.js";
import { benchMatmul, type MatmulRow } from "./matmul.js";
import { packageSections } from "./packages.js";

export interface Section {
  name: string;
  title: string;
  // Rows are section-specific plain objects.
  run: (log: (s: string) => void) => any;
  markdown: (rows: any) => string[];
}

export const f = (v: number | null | undefined, d = 2) => (v === null || v === undefined ? "—" : v.toFixed(d));
const gpuTable = (rows: GpuRow[]) => [
  "| case | mode | cpu ms | gpujs ms | cpu GFLOP/s | gpujs GFLOP/s | cpu ÷ gpujs time | rel err |",
  "|---|---|---:|---:|---:|---:|---:|---:|",
  ...rows.map(
    (r) =>
      `| ${r.case} | ${r.mode} | ${f(r.cpu_ms)} | ${f(r.gpujs_ms)} | ${f(r.cpu_gflops)} | ${f(r.gpujs_gflops)} | ${f(r.speedup)}× | ${r.rel_err.toExponential(1)} |`,
  ),
];

const core: Section[] = [
  {
    name: "matmul",
    title: "matmul (float64, square n×n)",
    run: benchMatmul,
    markdown: (rows: MatmulRow[]) => [
      "## matmul, float64 (GFLOP/s; ratio = speed-up of @x)",
      "",
      "| n | @x/tensor | ml-matrix | NumPy (OpenBLAS, 1 thread) | @x ÷ ml-matrix | @x ÷ NumPy |",
      "|---:|---:|---:|---:|---:|---:|",
      ...rows.map(
        (r) =>
          `| ${r.n} | ${f(r.x_gflops)} | ${f(r.mlmatrix_gflops)} | ${f(r.numpy_gflops)} | ${f(r.x_over_mlmatrix)}× | ${f(r.x_over_numpy)}× |`,
      ),
    ],
  },
  {
    name: "linalg",
    title: "linalg (dense and sparse)",
    run: benchLinalg,
    markdown: (rows: LinalgRow[]) => [
      "## linalg (ms; ratios = speed-up of @x)",
      "",
      "| case | @x/linalg | ml-matrix | NumPy/SciPy (1 thread) | @x ÷ ml-matrix | NumPy/SciPy ÷ @x |",
      "|---|---:|---:|---:|---:|---:|",
      ...rows.map(
        (r) =>
          `| ${r.case} | ${f(r.x_ms)} | ${f(r.mlmatrix_ms)} | ${f(r.python_ms)} | ${r.x_over_mlmatrix === null ? "—" : `${f(r.x_over_mlmatrix)}×`} | ${r.python_over_x === null ? "—" : `${f(r.python_over_x)}×`} |`,
      ),
    ],
  },
  {
    name: "gpu",
    title: "gpu.js backend (float32) vs cpu (float64)",
    run: benchGpu,
    markdown: (rows: GpuRow[]) => [
      "## gpu.js backend vs cpu (Node; gpujs mode in the mode column; float32 error vs float64)",
      "",
      ...gpuTable(rows),
    ],
  },
  {
    name: "gpu-browser",
    title: "gpu.js backend in headless Chromium (WebGL)",
    run: benchGpuBrowser,
    markdown: (rows: GpuBrowserRow[] | null) => [
      "## gpu.js in headless Chromium",
      "",
      ...(rows === null
        ? ["Skipped: Chromium was missing or did not launch (see the log)."]
        : [
            `gpu.js mode ${rows[0]?.mode ?? "unknown"} on WebGL renderer \`${rows[0]?.renderer ?? "unknown"}\`${/swiftshader/i.test(rows[0]?.renderer ?? "") ? " — SwiftShader, i.e. software rendering on the CPU, so the gpujs column is not a GPU measurement" : ""}. Medians after a warm-up, reading the result back included; float32 error vs float64.`,
            "",
            ...gpuTable(rows),
          ]),
    ],
  },
  {
    name: "autodiff",
    title: "autodiff cost ratios",
    run: benchAutodiff,
    markdown: (rows: AutodiffRow[]) => [
      "## autodiff cost (targets: gradient ≤ 4× forward, HVP ≤ 3× gradient)",
      "",
      "| case | forward ms | grad ms | HVP ms | grad ÷ forward | HVP ÷ grad |",
      "|---|---:|---:|---:|---:|---:|",
      ...rows.map(
        (r) =>
          `| ${r.case} | ${f(r.forward_ms)} | ${f(r.grad_ms)} | ${f(r.hvp_ms)} | ${f(r.grad_over_forward)} | ${f(r.hvp_over_grad)} |`,
      ),
    ],
  },
];

export const sections: Section[] = [...core, ...packageSections];
