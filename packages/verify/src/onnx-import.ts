// ONNX graph → layered network IR by affine tracing. Every tensor is either a constant or an affine function of the
// output of the last activation ("the source"): value = col₀ + Σⱼ colⱼ · sourceⱼ. Affine ops act column by column (the
// bias only on col₀); an activation applied to an affine tensor emits a dense layer plus the activation and starts a
// new source. This folds Gemm/MatMul/Conv/BatchNorm/AveragePool/Flatten/Reshape/Concat/Add… into dense matrices.
import { ParseError, ShapeError, UnsupportedError } from "@x/tensor";
import type { Activation, DenseLayer, Network } from "./network.js";
import { type OnnxGraph, type OnnxNode, readOnnxGraph } from "./onnx-reader.js";

interface Val {
  shape: number[];
  /** 1 for a constant; sourceSize + 1 for a traced affine value */
  cols: number;
  dynamic: boolean;
  data: Float64Array;
}

const sizeOf = (s: number[]) => s.reduce((a, b) => a * b, 1);
const constant = (shape: number[], data: Float64Array): Val => ({ shape, cols: 1, dynamic: false, data });

function stridesOf(s: number[]): number[] {
  const st = new Array<number>(s.length).fill(1);
  for (let i = s.length - 2; i >= 0; i--) st[i] = st[i + 1]! * s[i + 1]!;
  return st;
}

function broadcastShape(a: number[], b: number[], where: string): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1)
      throw new ShapeError(`${where}: shapes ${JSON.stringify(a)} and ${JSON.stringify(b)} do not broadcast`);
    out.push(Math.max(x, y));
  }
  return out;
}

/** Index map from a broadcast target shape to the flat index of a source of shape `s`. */
function broadcastIndex(s: number[], target: number[]): Int32Array {
  const n = sizeOf(target);
  const idx = new Int32Array(n);
  const ts = stridesOf(target);
  const ss = stridesOf(s);
  const off = target.length - s.length;
  for (let i = 0; i < n; i++) {
    let r = i;
    let j = 0;
    for (let d = 0; d < target.length; d++) {
      const coord = Math.floor(r / ts[d]!);
      r -= coord * ts[d]!;
      if (d >= off && s[d - off]! !== 1) j += coord * ss[d - off]!;
    }
    idx[i] = j;
  }
  return idx;
}

function col(v: Val, c: number): Float64Array {
  const n = sizeOf(v.shape);
  return v.data.subarray(c * n, (c + 1) * n);
}

/** Applies a per-column linear map; `bias` (already shaped like the output) is added to col₀. */
function mapColumns(
  v: Val,
  outShape: number[],
  f: (x: Float64Array, c: number) => Float64Array,
  bias?: Float64Array,
): Val {
  const n = sizeOf(outShape);
  const data = new Float64Array(n * v.cols);
  for (let c = 0; c < v.cols; c++) data.set(f(col(v, c), c), c * n);
  if (bias) for (let i = 0; i < n; i++) data[i] = data[i]! + bias[i]!;
  return { shape: outShape, cols: v.cols, dynamic: v.dynamic, data };
}

function elementwise(a: Val, b: Val, op: "add" | "sub" | "mul" | "div", where: string): Val {
  const shape = broadcastShape(a.shape, b.shape, where);
  const n = sizeOf(shape);
  const ia = broadcastIndex(a.shape, shape);
  const ib = broadcastIndex(b.shape, shape);
  if (op === "mul" || op === "div") {
    if (b.dynamic && (op === "div" || a.dynamic)) {
      throw new UnsupportedError(
        `${where}: ${op === "mul" ? "Mul of two non-constant tensors" : "Div by a non-constant tensor"} is not affine`,
      );
    }
    const [dyn, cst, id, ic] = b.dynamic ? [b, a, ib, ia] : [a, b, ia, ib];
    const out = new Float64Array(n * dyn.cols);
    const m = sizeOf(dyn.shape);
    for (let c = 0; c < dyn.cols; c++) {
      for (let i = 0; i < n; i++) {
        const x = dyn.data[c * m + id[i]!]!;
        const k = cst.data[ic[i]!]!;
        out[c * n + i] = op === "mul" ? x * k : x / k;
      }
    }
    return { shape, cols: dyn.cols, dynamic: dyn.dynamic, data: out };
  }
  if (a.dynamic && b.dynamic && a.cols !== b.cols)
    throw new UnsupportedError(`${where}: operands depend on different layers (skip connection across an activation)`);
  const cols = Math.max(a.cols, b.cols);
  const out = new Float64Array(n * cols);
  const ma = sizeOf(a.shape);
  const mb = sizeOf(b.shape);
  const sign = op === "sub" ? -1 : 1;
  for (let c = 0; c < cols; c++) {
    for (let i = 0; i < n; i++) {
      const x = c < a.cols ? a.data[c * ma + ia[i]!]! : 0;
      const y = c < b.cols ? b.data[c * mb + ib[i]!]! : 0;
      out[c * n + i] = x + sign * y;
    }
  }
  return { shape, cols, dynamic: a.dynamic || b.dynamic, data: out };
}

/** 2-D matrix product of an (r×k) and (k×m) pair given flat data. */
function matmul2(a: Float64Array, b: Float64Array, r: number, k: number, m: number): Float64Array {
  const out = new Float64Array(r * m);
  for (let i = 0; i < r; i++) {
    for (let t = 0; t < k; t++) {
      const x = a[i * k + t]!;
      if (x === 0) continue;
      for (let j = 0; j < m; j++) out[i * m + j] = out[i * m + j]! + x * b[t * m + j]!;
    }
  }
  return out;
}

function transpose2(a: Float64Array, r: number, c: number): Float64Array {
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = a[i * c + j]!;
  return out;
}

function as2d(shape: number[], where: string, name: string): [number, number] {
  if (shape.length === 1) return [1, shape[0]!];
  if (shape.length === 2) return [shape[0]!, shape[1]!];
  // batch-1 leading dimensions are squeezed (e.g. [1, 1, n])
  if (shape.slice(0, -2).every((d) => d === 1)) return [shape.at(-2)!, shape.at(-1)!];
  throw new UnsupportedError(`${where}: ${name} of shape ${JSON.stringify(shape)} (only 2-D products with batch 1)`);
}

function matmulVal(a: Val, b: Val, where: string, transA = false, transB = false, alpha = 1): Val {
  if (a.dynamic && b.dynamic) throw new UnsupportedError(`${where}: product of two non-constant tensors is not affine`);
  let [ra, ka] = as2d(a.shape, where, "A");
  let [kb, mb] = as2d(b.shape, where, "B");
  if (transA) [ra, ka] = [ka, ra];
  if (transB) [kb, mb] = [mb, kb];
  if (ka !== kb) throw new ShapeError(`${where}: inner dimensions differ (${ka} vs ${kb})`);
  const outShape = a.shape.length === 1 && !transA ? [mb] : b.shape.length === 1 && !transB ? [ra] : [ra, mb];
  const prep = (x: Float64Array, t: boolean, r: number, c: number) => (t ? transpose2(x, c, r) : x);
  const scale = (x: Float64Array) => (alpha === 1 ? x : x.map((v) => v * alpha));
  if (!b.dynamic) {
    const B = prep(b.data, transB, kb, mb);
    return mapColumns(a, outShape, (x) => scale(matmul2(prep(x, transA, ra, ka), B, ra, ka, mb)));
  }
  const A = prep(a.data, transA, ra, ka);
  return mapColumns(b, outShape, (x) => scale(matmul2(A, prep(x, transB, kb, mb), ra, ka, mb)));
}

function attrInt(node: OnnxNode, name: string, dflt: number): number {
  return node.attributes.get(name)?.i ?? dflt;
}
function attrFloat(node: OnnxNode, name: string, dflt: number): number {
  return node.attributes.get(name)?.f ?? dflt;
}
function attrInts(node: OnnxNode, name: string): number[] | undefined {
  return node.attributes.get(name)?.ints;
}

interface Window {
  kernel: number[];
  strides: number[];
  pads: number[];
  dilations: number[];
  out: number[];
}

function windowParams(node: OnnxNode, inHW: number[], kernel: number[], where: string): Window {
  const strides = attrInts(node, "strides") ?? [1, 1];
  const dilations = attrInts(node, "dilations") ?? [1, 1];
  let pads = attrInts(node, "pads") ?? [0, 0, 0, 0];
  const autoPad = node.attributes.get("auto_pad")?.s ?? "NOTSET";
  const eff = kernel.map((k, i) => (k - 1) * dilations[i]! + 1);
  if (autoPad === "SAME_UPPER" || autoPad === "SAME_LOWER") {
    pads = [0, 0, 0, 0];
    for (let i = 0; i < 2; i++) {
      const out = Math.ceil(inHW[i]! / strides[i]!);
      const total = Math.max(0, (out - 1) * strides[i]! + eff[i]! - inHW[i]!);
      const small = Math.floor(total / 2);
      pads[i] = autoPad === "SAME_UPPER" ? small : total - small;
      pads[i + 2] = total - pads[i]!;
    }
  } else if (autoPad !== "NOTSET" && autoPad !== "VALID") throw new UnsupportedError(`${where}: auto_pad ${autoPad}`);
  if (attrInt(node, "ceil_mode", 0) !== 0) throw new UnsupportedError(`${where}: ceil_mode=1 is not supported`);
  const out = [0, 1].map((i) => Math.floor((inHW[i]! + pads[i]! + pads[i + 2]! - eff[i]!) / strides[i]!) + 1);
  if (out.some((o) => o <= 0)) throw new ShapeError(`${where}: window larger than the padded input`);
  return { kernel, strides, pads, dilations, out };
}

function convVal(x: Val, w: Val, b: Val | undefined, node: OnnxNode, where: string): Val {
  if (w.dynamic || b?.dynamic) throw new UnsupportedError(`${where}: Conv weights must be constant`);
  if (x.shape.length !== 4 || w.shape.length !== 4)
    throw new UnsupportedError(`${where}: only 2-D Conv (NCHW input) is supported`);
  const [n, C, H, W] = x.shape as [number, number, number, number];
  if (n !== 1) throw new UnsupportedError(`${where}: batch size ${n} (only 1)`);
  const [M, Cg, kH, kW] = w.shape as [number, number, number, number];
  const group = attrInt(node, "group", 1);
  if (Cg * group !== C || M % group !== 0)
    throw new ShapeError(
      `${where}: weight shape ${JSON.stringify(w.shape)} does not fit ${C} channels with group ${group}`,
    );
  const p = windowParams(node, [H, W], [kH, kW], where);
  const [oH, oW] = p.out as [number, number];
  const outShape = [1, M, oH, oW];
  const Mg = M / group;
  const conv = (inp: Float64Array) => {
    const out = new Float64Array(M * oH * oW);
    for (let m = 0; m < M; m++) {
      const g = Math.floor(m / Mg);
      for (let oy = 0; oy < oH; oy++) {
        for (let ox = 0; ox < oW; ox++) {
          let s = 0;
          for (let c = 0; c < Cg; c++) {
            const ci = g * Cg + c;
            for (let ky = 0; ky < kH; ky++) {
              const iy = oy * p.strides[0]! - p.pads[0]! + ky * p.dilations[0]!;
              if (iy < 0 || iy >= H) continue;
              for (let kx = 0; kx < kW; kx++) {
                const ix = ox * p.strides[1]! - p.pads[1]! + kx * p.dilations[1]!;
                if (ix < 0 || ix >= W) continue;
                s += w.data[((m * Cg + c) * kH + ky) * kW + kx]! * inp[(ci * H + iy) * W + ix]!;
              }
            }
          }
          out[(m * oH + oy) * oW + ox] = s;
        }
      }
    }
    return out;
  };
  let bias: Float64Array | undefined;
  if (b) {
    bias = new Float64Array(M * oH * oW);
    for (let m = 0; m < M; m++) bias.fill(b.data[m]!, m * oH * oW, (m + 1) * oH * oW);
  }
  return mapColumns(x, outShape, conv, bias);
}

function poolVal(x: Val, node: OnnxNode, where: string, kind: "avg" | "max"): Val {
  if (x.shape.length !== 4) throw new UnsupportedError(`${where}: only 2-D pooling (NCHW input) is supported`);
  const [, C, H, W] = x.shape as [number, number, number, number];
  const kernel = attrInts(node, "kernel_shape");
  if (kernel?.length !== 2) throw new ParseError(`${where}: kernel_shape must list 2 sizes`);
  const p = windowParams(node, [H, W], kernel, where);
  const [oH, oW] = p.out as [number, number];
  const includePad = attrInt(node, "count_include_pad", 0) === 1;
  const pool = (inp: Float64Array) => {
    const out = new Float64Array(C * oH * oW);
    for (let c = 0; c < C; c++) {
      for (let oy = 0; oy < oH; oy++) {
        for (let ox = 0; ox < oW; ox++) {
          let s = kind === "max" ? Number.NEGATIVE_INFINITY : 0;
          let count = 0;
          for (let ky = 0; ky < kernel[0]!; ky++) {
            const iy = oy * p.strides[0]! - p.pads[0]! + ky * p.dilations[0]!;
            for (let kx = 0; kx < kernel[1]!; kx++) {
              const ix = ox * p.strides[1]! - p.pads[1]! + kx * p.dilations[1]!;
              if (iy < 0 || iy >= H || ix < 0 || ix >= W) {
                if (includePad) count++;
                continue;
              }
              const v = inp[(c * H + iy) * W + ix]!;
              s = kind === "max" ? Math.max(s, v) : s + v;
              count++;
            }
          }
          out[(c * oH + oy) * oW + ox] = kind === "max" ? s : s / count;
        }
      }
    }
    return out;
  };
  if (kind === "max" && x.dynamic) {
    throw new UnsupportedError(`${where}: MaxPool on a network input path is not supported by the layered bound IR`);
  }
  return mapColumns(x, [1, C, oH, oW], pool);
}

function reshapeTarget(shape: number[], spec: number[], where: string): number[] {
  const total = sizeOf(shape);
  const out = spec.map((d, i) => (d === 0 ? shape[i]! : d));
  const neg = out.indexOf(-1);
  if (neg >= 0) {
    const rest = out.reduce((a, d, i) => (i === neg ? a : a * d), 1);
    out[neg] = total / rest;
  }
  if (sizeOf(out) !== total || out.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new ShapeError(`${where}: cannot reshape ${JSON.stringify(shape)} to ${JSON.stringify(spec)}`);
  }
  return out;
}

/** Reads an ONNX model and converts it to the layered network IR. */
export function loadOnnx(bytes: Uint8Array): Network {
  return onnxGraphToNetwork(readOnnxGraph(bytes));
}

export function onnxGraphToNetwork(g: OnnxGraph): Network {
  const vals = new Map<string, Val>();
  for (const [name, t] of g.initializers) vals.set(name, constant(t.dims, t.data));
  const realInputs = g.inputs.filter((i) => !g.initializers.has(i.name));
  if (realInputs.length !== 1) {
    throw new UnsupportedError(
      `loadOnnx: the graph must have exactly one non-initializer input, found ${realInputs.length} (${realInputs.map((i) => i.name).join(", ")})`,
    );
  }
  const input = realInputs[0]!;
  const inputShape = input.shape.map((d, i) => (d > 0 ? d : i === 0 ? 1 : Number.NaN));
  if (inputShape.length === 0 || inputShape.some((d) => !Number.isFinite(d))) {
    throw new UnsupportedError(
      `loadOnnx: input '${input.name}' has shape ${JSON.stringify(input.shape)}; only a fixed shape with batch 1 is supported`,
    );
  }
  const inputSize = sizeOf(inputShape);
  const identity = (shape: number[], n: number): Val => {
    const data = new Float64Array(n * (n + 1));
    for (let j = 0; j < n; j++) data[(j + 1) * n + j] = 1;
    return { shape, cols: n + 1, dynamic: true, data };
  };
  vals.set(input.name, identity(inputShape, inputSize));
  const dense: DenseLayer[] = [];
  const activations: Activation[] = [];
  let sourceSize = inputSize;

  const flush = (v: Val): DenseLayer => {
    const n = sizeOf(v.shape);
    const W = new Float64Array(n * sourceSize);
    for (let j = 0; j < sourceSize; j++) for (let i = 0; i < n; i++) W[i * sourceSize + j] = v.data[(j + 1) * n + i]!;
    return { W, b: Float64Array.from(v.data.subarray(0, n)), inSize: sourceSize, outSize: n };
  };

  for (const node of g.nodes) {
    const where = `node '${node.name}' (${node.opType})`;
    if (node.domain !== "" && node.domain !== "ai.onnx")
      throw new UnsupportedError(`${where}: operator domain '${node.domain}' is not supported`);
    const get = (i: number, optional = false): Val | undefined => {
      const name = node.inputs[i];
      if (name === undefined || name === "") {
        if (optional) return undefined;
        throw new ParseError(`${where}: missing input #${i}`);
      }
      const v = vals.get(name);
      if (!v)
        throw new ParseError(
          `${where}: input '${name}' is not produced by any earlier node, initializer or graph input`,
        );
      return v;
    };
    const need = (i: number) => get(i)!;
    let out: Val;
    switch (node.opType) {
      case "Identity":
      case "Dropout":
        out = need(0);
        break;
      case "Constant": {
        const t = node.attributes.get("value")?.t;
        const f = node.attributes.get("value_float")?.f;
        const fs = node.attributes.get("value_floats")?.floats;
        const i = node.attributes.get("value_int")?.i;
        const is = node.attributes.get("value_ints")?.ints;
        if (t) out = constant(t.dims, t.data);
        else if (f !== undefined) out = constant([], Float64Array.of(f));
        else if (i !== undefined) out = constant([], Float64Array.of(i));
        else if (fs) out = constant([fs.length], Float64Array.from(fs));
        else if (is) out = constant([is.length], Float64Array.from(is));
        else throw new UnsupportedError(`${where}: Constant without a value/value_float(s)/value_int(s) attribute`);
        break;
      }
      case "Add":
        out = elementwise(need(0), need(1), "add", where);
        break;
      case "Sub":
        out = elementwise(need(0), need(1), "sub", where);
        break;
      case "Mul":
        out = elementwise(need(0), need(1), "mul", where);
        break;
      case "Div":
        out = elementwise(need(0), need(1), "div", where);
        break;
      case "Neg":
        out = elementwise(need(0), constant([], Float64Array.of(-1)), "mul", where);
        break;
      case "MatMul":
        out = matmulVal(need(0), need(1), where);
        break;
      case "Gemm": {
        const prod = matmulVal(
          need(0),
          need(1),
          where,
          attrInt(node, "transA", 0) === 1,
          attrInt(node, "transB", 0) === 1,
          attrFloat(node, "alpha", 1),
        );
        const c = get(2, true);
        if (c) {
          const beta = attrFloat(node, "beta", 1);
          out = elementwise(
            prod,
            beta === 1 ? c : elementwise(c, constant([], Float64Array.of(beta)), "mul", where),
            "add",
            where,
          );
        } else out = prod;
        break;
      }
      case "Flatten": {
        const x = need(0);
        let axis = attrInt(node, "axis", 1);
        if (axis < 0) axis += x.shape.length;
        out = { ...x, shape: [sizeOf(x.shape.slice(0, axis)), sizeOf(x.shape.slice(axis))] };
        break;
      }
      case "Reshape": {
        const x = need(0);
        const s = get(1, true);
        const spec = s ? Array.from(s.data) : attrInts(node, "shape");
        if (!spec || s?.dynamic) throw new UnsupportedError(`${where}: the target shape must be constant`);
        out = { ...x, shape: reshapeTarget(x.shape, spec, where) };
        break;
      }
      case "Squeeze":
      case "Unsqueeze": {
        const x = need(0);
        const axesVal = get(1, true);
        const axes = (axesVal ? Array.from(axesVal.data) : attrInts(node, "axes")) ?? [];
        let shape: number[];
        if (node.opType === "Squeeze") {
          const ax = axes.map((a) => (a < 0 ? a + x.shape.length : a));
          shape = x.shape.filter((d, i) => (ax.length ? !ax.includes(i) : d !== 1));
        } else {
          const rank = x.shape.length + axes.length;
          const ax = axes.map((a) => (a < 0 ? a + rank : a));
          shape = [];
          let k = 0;
          for (let i = 0; i < rank; i++) shape.push(ax.includes(i) ? 1 : x.shape[k++]!);
        }
        out = { ...x, shape };
        break;
      }
      case "Conv":
        out = convVal(need(0), need(1), get(2, true), node, where);
        break;
      case "BatchNormalization": {
        const x = need(0);
        const [scale, bias, mean, variance] = [need(1), need(2), need(3), need(4)];
        const eps = attrFloat(node, "epsilon", 1e-5);
        const C = x.shape[1] ?? 1;
        const rest = sizeOf(x.shape.slice(2));
        const s = new Float64Array(C);
        const sh = new Float64Array(C);
        for (let c = 0; c < C; c++) {
          s[c] = scale.data[c]! / Math.sqrt(variance.data[c]! + eps);
          sh[c] = bias.data[c]! - s[c]! * mean.data[c]!;
        }
        const biasFull = new Float64Array(C * rest);
        for (let c = 0; c < C; c++) biasFull.fill(sh[c]!, c * rest, (c + 1) * rest);
        out = mapColumns(x, x.shape, (v) => v.map((e, i) => e * s[Math.floor(i / rest)]!), biasFull);
        break;
      }
      case "AveragePool":
        out = poolVal(need(0), node, where, "avg");
        break;
      case "MaxPool":
        out = poolVal(need(0), node, where, "max");
        break;
      case "Concat": {
        const parts = node.inputs.map((_, i) => need(i));
        let axis = attrInt(node, "axis", 0);
        const rank = parts[0]!.shape.length;
        if (axis < 0) axis += rank;
        const dyn = parts.filter((p) => p.dynamic);
        if (dyn.some((p) => p.cols !== dyn[0]!.cols))
          throw new UnsupportedError(`${where}: inputs depend on different layers`);
        const cols = Math.max(...parts.map((p) => p.cols));
        const shape = [...parts[0]!.shape];
        shape[axis] = parts.reduce((a, p) => a + p.shape[axis]!, 0);
        const outer = sizeOf(shape.slice(0, axis));
        const n = sizeOf(shape);
        const data = new Float64Array(n * cols);
        for (let c = 0; c < cols; c++) {
          let offset = 0;
          for (const p of parts) {
            const inner = sizeOf(p.shape.slice(axis));
            if (c < p.cols) {
              const src = col(p, c);
              for (let o = 0; o < outer; o++)
                data.set(src.subarray(o * inner, (o + 1) * inner), c * n + o * (n / outer) + offset);
            }
            offset += inner;
          }
        }
        out = { shape, cols, dynamic: dyn.length > 0, data };
        break;
      }
      case "Relu":
      case "LeakyRelu":
      case "Sigmoid":
      case "Tanh": {
        const x = need(0);
        const act: Activation =
          node.opType === "Relu"
            ? { kind: "relu" }
            : node.opType === "LeakyRelu"
              ? { kind: "leakyRelu", alpha: attrFloat(node, "alpha", 0.01) }
              : node.opType === "Sigmoid"
                ? { kind: "sigmoid" }
                : { kind: "tanh" };
        if (act.kind === "leakyRelu" && !(act.alpha >= 0 && act.alpha <= 1)) {
          throw new UnsupportedError(`${where}: LeakyRelu alpha=${act.alpha} (only 0 ≤ alpha ≤ 1 is boundable)`);
        }
        if (!x.dynamic) {
          const f = (v: number) =>
            act.kind === "relu"
              ? Math.max(v, 0)
              : act.kind === "leakyRelu"
                ? v > 0
                  ? v
                  : act.alpha * v
                : act.kind === "sigmoid"
                  ? 1 / (1 + Math.exp(-v))
                  : Math.tanh(v);
          out = constant(x.shape, x.data.map(f));
          break;
        }
        dense.push(flush(x));
        activations.push(act);
        sourceSize = sizeOf(x.shape);
        out = identity(x.shape, sourceSize);
        break;
      }
      default:
        throw new UnsupportedError(`loadOnnx: ${where}: unsupported op type '${node.opType}'`);
    }
    for (const o of node.outputs.slice(0, 1)) vals.set(o, out);
  }
  if (g.outputs.length !== 1)
    throw new UnsupportedError(`loadOnnx: the graph must have exactly one output, found ${g.outputs.length}`);
  const outName = g.outputs[0]!.name;
  const y = vals.get(outName);
  if (!y) throw new ParseError(`loadOnnx: graph output '${outName}' is not produced by any node`);
  if (!y.dynamic) throw new UnsupportedError(`loadOnnx: graph output '${outName}' does not depend on the input`);
  dense.push(flush(y));
  return {
    dense,
    activations,
    inputSize,
    outputSize: sizeOf(y.shape),
    inputShape,
    outputShape: y.shape,
    inputName: input.name,
    outputName: outName,
  };
}
