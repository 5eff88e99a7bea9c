// Bundled by ../gpu-browser.test.ts and run in headless Chromium: a conformance subset of backend
// "gpujs" in a WebGL mode against the cpu backend on the same page (which passes the full suite).
import * as X from "@x/tensor";
import { gpuJsFallbacks, gpuJsMode } from "@x/tensor/gpu";

interface Row {
  name: string;
  ok: boolean;
  maxErr: number;
  detail?: string;
}

let seed = 12345;
const rand = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const randInt = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
const data = (n: number, lo = -2, hi = 2) => Float64Array.from({ length: n }, () => lo + (hi - lo) * rand());
const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

function compare(
  name: string,
  f: (...t: X.Tensor[]) => X.Tensor,
  inputs: { s: number[]; d: Float64Array }[],
  scale = 10,
): Row {
  try {
    X.setBackend("cpu");
    const c = f(...inputs.map((i) => X.tensor(i.d, i.s)));
    const cd = Float64Array.from(c.data);
    X.setBackend("gpujs");
    const g = f(...inputs.map((i) => X.tensor(i.d, i.s)));
    if (g._backend !== "gpujs") return { name, ok: false, maxErr: Number.NaN, detail: `result on ${g._backend}` };
    const gd = g.data;
    if (g.shape.join() !== c.shape.join())
      return { name, ok: false, maxErr: Number.NaN, detail: `shape ${g.shape} vs ${c.shape}` };
    const rtol = 2e-4 * scale;
    const atol = 1e-5 * scale;
    let maxErr = 0;
    let ok = true;
    for (let i = 0; i < cd.length; i++) {
      const e = Math.abs(gd[i]! - cd[i]!);
      maxErr = Math.max(maxErr, e);
      if (!(e <= atol + rtol * Math.abs(cd[i]!))) ok = false;
    }
    return { name, ok, maxErr };
  } catch (e) {
    return { name, ok: false, maxErr: Number.NaN, detail: String(e) };
  } finally {
    X.setBackend("cpu");
  }
}

async function run() {
  const rows: Row[] = [];
  let mode = "unknown";
  try {
    mode = gpuJsMode();
  } catch (e) {
    return { mode, rows, error: String(e) };
  }
  const notices: string[] = [];
  X.setFallbackNotice((m) => notices.push(m));
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let trial = 0; trial < 6; trial++) {
    // Textures of dropped tensors are deleted by a FinalizationRegistry (it runs after a collection,
    // in a later task); the ops that follow must not notice.
    gc?.();
    await new Promise((r) => setTimeout(r, 20));
    const s = Array.from({ length: randInt(1, 3) }, () => randInt(1, 7));
    const b = s.map((d) => (rand() < 0.4 ? 1 : d)).slice(randInt(0, s.length - 1));
    const x = { s, d: data(size(s)) };
    const y = { s: b, d: data(size(b), 0.5, 2) };
    rows.push(compare(`exp/tanh/sigmoid ${s}`, (t) => X.add(X.exp(t), X.mul(X.tanh(t), X.sigmoid(t))), [x]));
    rows.push(compare(`log/sqrt ${b}`, (t) => X.add(X.log(t), X.sqrt(t)), [y]));
    rows.push(
      compare(`add/mul/div/pow broadcast ${s} ${b}`, (p, q) => X.add(X.mul(p, q), X.div(p, X.pow(q, 1.5))), [x, y]),
    );
    rows.push(compare(`maximum/where ${s} ${b}`, (p, q) => X.where(X.greater(p, 0), X.maximum(p, q), q), [x, y]));
    const axes = s.map((_, i) => i).filter(() => rand() < 0.6);
    const ax = axes.length > 0 ? axes : [0];
    rows.push(
      compare(
        `sum/max/min axes ${ax} of ${s}`,
        (t) => X.add(X.sum(t, { axis: ax }), X.sub(X.max(t, { axis: ax }), X.min(t, { axis: ax }))),
        [x],
      ),
    );
    rows.push(compare(`slice every other row of ${s}`, (t) => X.slice(t, [[0, undefined, 2]]), [x], 1));
    const perm = s.map((_, i) => i).reverse();
    rows.push(compare(`transpose ${perm} of ${s}`, (t) => X.transpose(t, perm), [x], 1));
    const [m, k, n] = [randInt(1, 33), randInt(1, 70), randInt(1, 33)];
    rows.push(
      compare(
        `matmul ${m}x${k}x${n}`,
        (p, q) => X.matmul(p, q),
        [
          { s: [m, k], d: data(m * k) },
          { s: [2, k, n], d: data(2 * k * n) },
        ],
        100,
      ),
    );
    rows.push(
      compare(`softmax/logsumexp ${m}x${k}`, (t) => X.add(X.softmax(t), X.logsumexp(t, { axis: 1, keepDims: true })), [
        { s: [m, k], d: data(m * k) },
      ]),
    );
    const d = randInt(1, 4);
    rows.push(
      compare(
        `pairwiseSqDist/gibbsKernel/scaleRowsCols ${m}x${n}x${d}`,
        (p, q) => {
          const K = X.gibbsKernel(X.pairwiseSqDist(p, q), 0.5);
          const u = X.div(1, X.sum(K, { axis: 1 }));
          return X.scaleRowsCols(K, u, X.ones([q.shape[0]!]));
        },
        [
          { s: [m, d], d: data(m * d, -1, 1) },
          { s: [n, d], d: data(n * d, -1, 1) },
        ],
      ),
    );
  }
  // Many short-lived textures: a Sinkhorn loop with forced collections in between.
  rows.push(
    compare(
      "Sinkhorn loop 60x50, 40 iterations with gc",
      (p, q) => {
        const K = X.gibbsKernel(X.pairwiseSqDist(p, q), 0.5);
        let u = X.ones([60, 1]);
        let v = X.ones([50, 1]);
        for (let it = 0; it < 40; it++) {
          u = X.div(1 / 60, X.matmul(K, v));
          v = X.reshape(X.div(1 / 50, X.matmul(X.reshape(u, [1, 60]), K)), [50, 1]);
          if (it % 10 === 0) gc?.();
        }
        return X.scaleRowsCols(K, X.reshape(u, [60]), X.reshape(v, [50]));
      },
      [
        { s: [60, 2], d: data(120, -1, 1) },
        { s: [50, 2], d: data(100, -1, 1) },
      ],
    ),
  );
  // Larger outputs: gpu.js lays 1-D outputs out as 2-D textures.
  rows.push(
    compare(
      "matmul 128x200x130",
      (p, q) => X.matmul(p, q),
      [
        { s: [128, 200], d: data(128 * 200) },
        { s: [200, 130], d: data(200 * 130) },
      ],
      100,
    ),
  );
  rows.push(
    compare(
      "gibbsKernel(pairwiseSqDist) 300x250",
      (p, q) => X.sum(X.gibbsKernel(X.pairwiseSqDist(p, q), 0.3), { axis: 0 }),
      [
        { s: [300, 3], d: data(900, -1, 1) },
        { s: [250, 3], d: data(750, -1, 1) },
      ],
    ),
  );
  // Informational timing (SwiftShader is a CPU rasterizer here, so this is no GPU benchmark).
  const timing: Record<string, number> = {};
  for (const b of ["cpu", "gpujs"]) {
    X.setBackend(b);
    const n = 256;
    const p = X.tensor(data(n * n), [n, n]);
    const q = X.tensor(data(n * n), [n, n]);
    void X.matmul(p, q).data;
    const t0 = performance.now();
    for (let r = 0; r < 3; r++) void X.matmul(p, q).data;
    timing[`${b} matmul 256 GFLOP/s`] = (2 * n ** 3) / ((performance.now() - t0) / 3) / 1e6;
  }
  X.setBackend("cpu");
  return { mode, rows, timing, fallbacks: gpuJsFallbacks(), notices, describe: X.getBackend("gpujs").describe?.() };
}

run().then(
  (r) => {
    (globalThis as { __result?: unknown }).__result = r;
  },
  (e) => {
    (globalThis as { __result?: unknown }).__result = { mode: "unknown", rows: [], error: String(e) };
  },
);
