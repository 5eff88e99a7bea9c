// The gpu.js kernels of backend "gpujs": elementwise unary/binary/where with broadcasting, strided
// gathers (transpose, broadcastTo, slice), reductions along axes, batched matmul, and the optimal
// transport kernels. Ops without a kernel here fall back to cpu with a one-time notice.
import { getBackend, kernelNames as K, type KernelConfig, registerKernel, type Tensor } from "@x/tensor";
import { decompose, dimArgs, fn, offsetExpr, strideArgs } from "./codegen.js";
import type { GpuJsBackend, GpuStorage } from "./engine.js";
import { tiledMatmul, tiledMatmulApplies } from "./matmul-tiled.js";
import { bshape, bstrides, gpuTensor, padShape, size, stridesOf } from "./shape.js";

const engine = (name: string) => getBackend(name) as GpuJsBackend;
const st = (t: Tensor) => t._storage as GpuStorage;

/** Unary elementwise expressions in x (gpu.js subset of Math). */
export const UNARY: Record<string, string> = {
  [K.Neg]: "-x",
  [K.Abs]: "Math.abs(x)",
  [K.Sign]: "Math.sign(x)",
  [K.Sqrt]: "Math.sqrt(x)",
  [K.Exp]: "Math.exp(x)",
  [K.Log]: "Math.log(x)",
  [K.Log1p]: "Math.log1p(x)",
  [K.Expm1]: "Math.expm1(x)",
  [K.Tanh]: "Math.tanh(x)",
  [K.Sigmoid]: "1.0 / (1.0 + Math.exp(-x))",
  [K.Relu]: "Math.max(x, 0.0)",
  [K.Softplus]: "Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x)))",
  [K.Sin]: "Math.sin(x)",
  [K.Cos]: "Math.cos(x)",
  [K.Floor]: "Math.floor(x)",
  [K.Ceil]: "Math.ceil(x)",
};

/** Binary elementwise expressions in x, y. */
export const BINARY: Record<string, string> = {
  [K.Add]: "x + y",
  [K.Sub]: "x - y",
  [K.Mul]: "x * y",
  [K.Div]: "x / y",
  [K.Pow]: "Math.pow(x, y)",
  [K.Maximum]: "Math.max(x, y)",
  [K.Minimum]: "Math.min(x, y)",
  [K.Greater]: "(x > y ? 1.0 : 0.0)",
  [K.GreaterEqual]: "(x >= y ? 1.0 : 0.0)",
  [K.Less]: "(x < y ? 1.0 : 0.0)",
  [K.LessEqual]: "(x <= y ? 1.0 : 0.0)",
  [K.Equal]: "(x === y ? 1.0 : 0.0)",
  [K.NotEqual]: "(x !== y ? 1.0 : 0.0)",
};

function unary(backendName: string, kernelName: string, expr: string): KernelConfig {
  return {
    kernelName,
    backendName,
    kernelFunc: ([x]) => {
      const e = engine(backendName);
      const src = () => fn(["a"], `const x = a[this.thread.x];\nreturn ${expr};`);
      return gpuTensor(backendName, x!.shape, e.run(`unary:${kernelName}`, src, x!.size, [st(x!)]));
    },
  };
}

/** Runs an n-ary elementwise expression over broadcast inputs named x, y, z… */
function elementwise(backendName: string, key: string, expr: string, inputs: Tensor[]): Tensor {
  const e = engine(backendName);
  const names = ["x", "y", "z"].slice(0, inputs.length);
  const args = names.map((_, i) => `a${i}`);
  const shape = bshape(
    key,
    inputs.map((t) => t.shape),
  );
  const n = size(shape);
  const same = inputs.every((t) => t.size === n);
  if (same) {
    const src = () =>
      fn(args, `${names.map((v, i) => `const ${v} = a${i}[this.thread.x];`).join("\n")}\nreturn ${expr};`);
    return gpuTensor(backendName, shape, e.run(`ew:${key}:flat`, src, n, inputs.map(st)));
  }
  const r = Math.max(shape.length, 1);
  const out = padShape(shape, r);
  const strides = inputs.map((t) => bstrides(t.shape, out));
  const sArgs = names.map((_, i) => strideArgs(`s${i}_`, r));
  const src = () =>
    fn(
      [...args, ...dimArgs(r), ...sArgs.flat()],
      `${decompose(r)}\n${names.map((v, i) => `const ${v} = a${i}[${offsetExpr(`s${i}_`, r)}];`).join("\n")}\nreturn ${expr};`,
    );
  return gpuTensor(
    backendName,
    shape,
    e.run(`ew:${key}:r${r}`, src, n, [...inputs.map(st), ...out.slice(1), ...strides.flat()]),
  );
}

function binary(backendName: string, kernelName: string, expr: string): KernelConfig {
  return { kernelName, backendName, kernelFunc: (inputs) => elementwise(backendName, kernelName, expr, inputs) };
}

/** out[i] = x[base + Σ i_k·strides_k] over `shape`: transpose, broadcastTo and slice in one kernel. */
export function gather(backendName: string, x: Tensor, shape: number[], strides: number[], base = 0): Tensor {
  const e = engine(backendName);
  const r = Math.max(shape.length, 1);
  const out = padShape(shape, r);
  const s = [...new Array<number>(r - strides.length).fill(0), ...strides];
  const src = () =>
    fn(["a", "base", ...dimArgs(r), ...strideArgs("s", r)], `${decompose(r)}\nreturn a[base + ${offsetExpr("s", r)}];`);
  return gpuTensor(backendName, shape, e.run(`gather:r${r}`, src, size(shape), [st(x), base, ...out.slice(1), ...s]));
}

// Kernel body of a row reduction over `a[base .. base + n)`; `combine` folds `v` into `acc`.
const foldBody = (combine: string) =>
  `const base = this.thread.x * n;\nlet acc = a[base];\nfor (let j = 1; j < n; j++) {\nconst v = a[base + j];\nacc = ${combine};\n}\nreturn acc;`;

// Fused logsumexp of a row: max pass, then Σ exp(v − shift) with shift 0 for a non-finite max
// (all −Inf → −Inf, +Inf → +Inf, NaN → NaN). The loops use distinct counters: gpu.js hoists them.
const logSumExpBody = [
  "const base = this.thread.x * n;",
  "let m = a[base];",
  "for (let j = 1; j < n; j++) {\nm = Math.max(m, a[base + j]);\n}",
  "let sh = m;",
  "if (m - m != 0) {\nsh = 0;\n}",
  "let s = 0;",
  "for (let k = 0; k < n; k++) {\ns += Math.exp(a[base + k] - sh);\n}",
  "return Math.log(s) + sh;",
].join("\n");

function reduce(backendName: string, kernelName: string, body: string, empty = 0): KernelConfig {
  return {
    kernelName,
    backendName,
    kernelFunc: ([x], attrs) => {
      const axes = [...(attrs.axes as number[])].sort((a, b) => a - b);
      const keepDims = attrs.keepDims as boolean;
      const shape = x!.shape;
      const kept = shape.map((_, i) => i).filter((i) => !axes.includes(i));
      const perm = [...kept, ...axes];
      const outShape = kept.map((i) => shape[i]!);
      const finalShape = keepDims ? shape.map((s, i) => (axes.includes(i) ? 1 : s)) : outShape;
      const nRed = size(axes.map((a) => shape[a]!));
      const nOut = size(outShape);
      // Move the reduced axes last (a gather on the device) unless they already are.
      const inPlace = perm.every((p, i) => p === i);
      const xs = stridesOf(shape);
      const moved = inPlace
        ? x!
        : gather(
            backendName,
            x!,
            perm.map((p) => shape[p]!),
            perm.map((p) => xs[p]!),
          );
      const e = engine(backendName);
      if (nRed === 0) {
        const fill = e.write(new Float64Array(nOut).fill(empty));
        return gpuTensor(backendName, finalShape, fill);
      }
      const src = () => fn(["a", "n"], body);
      return gpuTensor(backendName, finalShape, e.run(`reduce:${kernelName}`, src, nOut, [st(moved), nRed]));
    },
  };
}

// Batched matmul [..., m, k] @ [..., k, n]: one thread per output, inner loop unrolled by 4. In WebAssembly
// mode the row-tiled variant (matmul-tiled.ts, uniform A reads) is used instead: 1.2–1.4× faster there.
function matmul(backendName: string): KernelConfig {
  return {
    kernelName: K.MatMul,
    backendName,
    kernelFunc: ([a, b]) => {
      const e = engine(backendName);
      if (tiledMatmulApplies(e)) {
        const r = tiledMatmul(e, a!, b!);
        return gpuTensor(backendName, r.shape, r.storage);
      }
      const ra = a!.rank;
      const rb = b!.rank;
      const m = a!.shape[ra - 2]!;
      const k = a!.shape[ra - 1]!;
      const n = b!.shape[rb - 1]!;
      const batch = bshape(K.MatMul, [a!.shape.slice(0, -2), b!.shape.slice(0, -2)]);
      const br = batch.length;
      const r = br + 2;
      const out = [...batch, m, n];
      const sa = [...bstrides(a!.shape.slice(0, -2), batch).map((s) => s * m * k), 0, 0];
      const sb = [...bstrides(b!.shape.slice(0, -2), batch).map((s) => s * k * n), 0, 0];
      const src = () =>
        fn(
          ["a", "b", "k", ...dimArgs(r), ...strideArgs("sa", r), ...strideArgs("sb", r)],
          [
            decompose(r),
            `const oa = ${offsetExpr("sa", r)} + i${r - 2} * k;`,
            `const ob = ${offsetExpr("sb", r)} + i${r - 1};`,
            `const n = d${r - 1};`,
            "let s = 0.0;",
            "const k4 = Math.floor((k + 0.5) / 4.0) * 4.0;",
            "for (let p = 0; p < k4; p += 4) {",
            "s += a[oa + p] * b[ob + p * n] + a[oa + p + 1] * b[ob + (p + 1) * n] + a[oa + p + 2] * b[ob + (p + 2) * n] + a[oa + p + 3] * b[ob + (p + 3) * n];",
            "}",
            // A distinct loop variable: gpu.js hoists `let p` out of the loop.
            "for (let q = k4; q < k; q++) {",
            "s += a[oa + q] * b[ob + q * n];",
            "}",
            "return s;",
          ].join("\n"),
        );
      return gpuTensor(
        backendName,
        out,
        e.run(`matmul:r${r}`, src, size(out), [st(a!), st(b!), k, ...out.slice(1), ...sa, ...sb]),
      );
    },
  };
}

export function gpuKernels(backendName: string): KernelConfig[] {
  const ks: KernelConfig[] = [];
  for (const [name, expr] of Object.entries(UNARY)) ks.push(unary(backendName, name, expr));
  for (const [name, expr] of Object.entries(BINARY)) ks.push(binary(backendName, name, expr));
  ks.push({
    kernelName: K.Where,
    backendName,
    kernelFunc: (inputs) => elementwise(backendName, K.Where, "(x !== 0.0 ? y : z)", inputs),
  });
  ks.push(reduce(backendName, K.Sum, foldBody("acc + v")));
  ks.push(reduce(backendName, K.Max, foldBody("Math.max(acc, v)")));
  ks.push(reduce(backendName, K.Min, foldBody("Math.min(acc, v)")));
  ks.push(reduce(backendName, K.LogSumExp, logSumExpBody, Number.NEGATIVE_INFINITY));
  ks.push(matmul(backendName));
  ks.push({
    kernelName: K.Transpose,
    backendName,
    kernelFunc: ([x], attrs) => {
      const perm = attrs.perm as number[];
      const xs = stridesOf(x!.shape);
      return gather(
        backendName,
        x!,
        perm.map((p) => x!.shape[p]!),
        perm.map((p) => xs[p]!),
      );
    },
  });
  ks.push({
    kernelName: K.BroadcastTo,
    backendName,
    kernelFunc: ([x], attrs) => {
      const shape = attrs.shape as number[];
      return gather(backendName, x!, shape, bstrides(x!.shape, shape));
    },
  });
  ks.push({
    kernelName: K.Slice,
    backendName,
    kernelFunc: ([x], attrs) => {
      const begin = attrs.begin as number[];
      const step = attrs.step as number[];
      const xs = stridesOf(x!.shape);
      const base = xs.reduce((acc, s, i) => acc + begin[i]! * s, 0);
      return gather(
        backendName,
        x!,
        attrs.size as number[],
        xs.map((s, i) => s * step[i]!),
        base,
      );
    },
  });
  ks.push({
    kernelName: K.PairwiseSqDist,
    backendName,
    kernelFunc: ([x, y]) => {
      const [n, d] = x!.shape as [number, number];
      const m = y!.shape[0]!;
      const src = () =>
        fn(
          ["x", "y", "d1", "d"],
          `${decompose(2)}\nlet s = 0.0;\nfor (let p = 0; p < d; p++) {\nconst t = x[i0 * d + p] - y[i1 * d + p];\ns += t * t;\n}\nreturn s;`,
        );
      return gpuTensor(backendName, [n, m], engine(backendName).run("pairwise", src, n * m, [st(x!), st(y!), m, d]));
    },
  });
  ks.push({
    kernelName: K.GibbsKernel,
    backendName,
    kernelFunc: ([c], attrs) => {
      const src = () => fn(["a", "s"], "return Math.exp(a[this.thread.x] * s);");
      return gpuTensor(
        backendName,
        c!.shape,
        engine(backendName).run("gibbs", src, c!.size, [st(c!), -1 / (attrs.eps as number)]),
      );
    },
  });
  ks.push({
    kernelName: K.ScaleRowsCols,
    backendName,
    kernelFunc: ([k, u, v]) => {
      const [n, m] = k!.shape as [number, number];
      const src = () => fn(["k", "u", "v", "d1"], `${decompose(2)}\nreturn u[i0] * k[this.thread.x] * v[i1];`);
      return gpuTensor(backendName, [n, m], engine(backendName).run("scale", src, n * m, [st(k!), st(u!), st(v!), m]));
    },
  });
  return ks;
}

/** Registers every gpu.js kernel under `backendName`. */
export function registerGpuKernels(backendName: string): void {
  for (const k of gpuKernels(backendName)) registerKernel(k);
}
