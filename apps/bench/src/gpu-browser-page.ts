// Bundled by ./gpu-browser.ts and run in headless Chromium: the two gpu.js measurements of ./gpu.ts
// (matmul GFLOP/s, Gibbs kernel + Sinkhorn scalings) with gpu.js in its WebGL mode, plus the WebGL
// renderer string. Times are medians after a warm-up and include reading the result back.
import * as X from "@x/tensor";
import { gpuJsMode } from "@x/tensor/gpu";
import { on, relErr, sinkhorn } from "./gpu-cases.js";
import { timeIt } from "./timing.js";

interface GlLike {
  getExtension(name: string): { UNMASKED_RENDERER_WEBGL: number } | null;
  getParameter(p: number): unknown;
  RENDERER: number;
}
interface DocLike {
  createElement(tag: "canvas"): { getContext(kind: string): GlLike | null };
}

function renderer(): string {
  const doc = (globalThis as { document?: DocLike }).document;
  const canvas = doc?.createElement("canvas");
  const gl = canvas?.getContext("webgl2") ?? canvas?.getContext("webgl") ?? null;
  if (!gl) return "no WebGL context";
  const ext = gl.getExtension("WEBGL_debug_renderer_info");
  return String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
}

export interface PageRow {
  case: string;
  cpu_ms: number;
  gpujs_ms: number;
  cpu_gflops: number | null;
  gpujs_gflops: number | null;
  rel_err: number;
}

function run() {
  const mode = gpuJsMode();
  const rows: PageRow[] = [];
  const opts = (n: number) => ({ minRuns: 3, budgetMs: n >= 1000 ? 3000 : 1000, warmupMs: 100 });
  for (const n of [256, 512, 1024]) {
    const da = X.normal(X.rng(1), [n, n]).data;
    const db = X.normal(X.rng(2), [n, n]).data;
    const time = (backend: string) =>
      on(backend, () => {
        const a = X.tensor(da, [n, n]);
        const b = X.tensor(db, [n, n]);
        let out: Float64Array = new Float64Array(0);
        const t = timeIt(() => {
          out = X.matmul(a, b).data;
        }, opts(n));
        return { t, out };
      });
    const c = time("cpu");
    const g = time("gpujs");
    const flops = 2 * n ** 3;
    rows.push({
      case: `matmul n=${n}`,
      cpu_ms: c.t * 1e3,
      gpujs_ms: g.t * 1e3,
      cpu_gflops: flops / c.t / 1e9,
      gpujs_gflops: flops / g.t / 1e9,
      rel_err: relErr(g.out, c.out),
    });
  }
  const n = 1000;
  const dx = X.uniform(X.rng(3), [n, 2]).data;
  const dy = X.uniform(X.rng(4), [n, 2]).data;
  const time = (backend: string) =>
    on(backend, () => {
      const x = X.tensor(dx, [n, 2]);
      const y = X.tensor(dy, [n, 2]);
      let out: Float64Array = new Float64Array(0);
      const t = timeIt(() => {
        out = sinkhorn(x, y, 0.05, 100).data;
      }, opts(n));
      return { t, out };
    });
  const c = time("cpu");
  const g = time("gpujs");
  rows.push({
    case: "Gibbs kernel 1000×1000 + 100 Sinkhorn scalings",
    cpu_ms: c.t * 1e3,
    gpujs_ms: g.t * 1e3,
    cpu_gflops: null,
    gpujs_gflops: null,
    rel_err: relErr(g.out, c.out),
  });
  return { mode, renderer: renderer(), rows };
}

// A macrotask later, so the page has finished loading before the long synchronous run.
setTimeout(() => {
  let r: unknown;
  try {
    r = run();
  } catch (e) {
    r = { error: String(e) };
  }
  (globalThis as { __result?: unknown }).__result = r;
}, 0);
