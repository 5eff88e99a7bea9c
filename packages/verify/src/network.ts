// Layered network IR used by every bound method: dense₀, act₀, dense₁, act₁, …, dense_L.
// Affine ONNX ops (Gemm, MatMul, Add, Conv, BatchNorm, AveragePool, Reshape…) are folded into the dense layers by
// the ONNX reader, so bound propagation only ever sees "affine map, then elementwise activation".
import { asTensor, ShapeError, type Tensor, type TensorLike, tensor } from "@x/tensor";

export type Activation =
  | { kind: "relu" }
  | { kind: "leakyRelu"; alpha: number }
  | { kind: "sigmoid" }
  | { kind: "tanh" };

/** y = W x + b with W stored row-major (out × in). */
export interface DenseLayer {
  W: Float64Array;
  b: Float64Array;
  inSize: number;
  outSize: number;
}

export interface Network {
  /** dense.length = activations.length + 1 */
  dense: DenseLayer[];
  activations: Activation[];
  inputSize: number;
  outputSize: number;
  /** ONNX input/output shapes (batch dimension included) for reporting */
  inputShape: number[];
  outputShape: number[];
  inputName: string;
  outputName: string;
}

export function activate(act: Activation, x: number): number {
  switch (act.kind) {
    case "relu":
      return Math.max(x, 0);
    case "leakyRelu":
      return x > 0 ? x : act.alpha * x;
    case "sigmoid":
      return 1 / (1 + Math.exp(-x));
    case "tanh":
      return Math.tanh(x);
  }
}

export function activationDerivative(act: Activation, x: number): number {
  switch (act.kind) {
    case "relu":
      return x > 0 ? 1 : 0;
    case "leakyRelu":
      return x > 0 ? 1 : act.alpha;
    case "sigmoid": {
      const s = 1 / (1 + Math.exp(-x));
      return s * (1 - s);
    }
    case "tanh": {
      const t = Math.tanh(x);
      return 1 - t * t;
    }
  }
}

export function denseApply(layer: DenseLayer, x: Float64Array): Float64Array {
  const { W, b, inSize, outSize } = layer;
  const y = new Float64Array(outSize);
  for (let i = 0; i < outSize; i++) {
    let s = b[i]!;
    const row = i * inSize;
    for (let j = 0; j < inSize; j++) s += W[row + j]! * x[j]!;
    y[i] = s;
  }
  return y;
}

/** Plain float64 forward pass on a flat input; returns the output. */
export function forward(net: Network, x: ArrayLike<number>): Float64Array {
  if (x.length !== net.inputSize) {
    throw new ShapeError(`evaluate: input has ${x.length} values, the network expects ${net.inputSize}`);
  }
  let h: Float64Array = Float64Array.from(x);
  for (let k = 0; k < net.dense.length; k++) {
    h = denseApply(net.dense[k]!, h);
    const act = net.activations[k];
    if (act) for (let i = 0; i < h.length; i++) h[i] = activate(act, h[i]!);
  }
  return h;
}

/** Forward pass that keeps the pre-activations (needed for gradients). */
export function forwardTrace(net: Network, x: ArrayLike<number>): { pre: Float64Array[]; out: Float64Array } {
  const pre: Float64Array[] = [];
  let h: Float64Array = Float64Array.from(x);
  for (let k = 0; k < net.dense.length; k++) {
    const z = denseApply(net.dense[k]!, h);
    const act = net.activations[k];
    if (act) {
      pre.push(z);
      h = z.map((v) => activate(act, v));
    } else h = z;
  }
  return { pre, out: h };
}

/** Gradient of c·f(x) with respect to x (reverse mode through the layered IR). */
export function gradient(net: Network, x: ArrayLike<number>, c: ArrayLike<number>): Float64Array {
  const { pre } = forwardTrace(net, x);
  let g: Float64Array = Float64Array.from(c);
  for (let k = net.dense.length - 1; k >= 0; k--) {
    const layer = net.dense[k]!;
    if (k < net.activations.length) {
      const z = pre[k]!;
      const act = net.activations[k]!;
      for (let i = 0; i < g.length; i++) g[i] = g[i]! * activationDerivative(act, z[i]!);
    }
    const gin = new Float64Array(layer.inSize);
    for (let i = 0; i < layer.outSize; i++) {
      const gi = g[i]!;
      if (gi === 0) continue;
      const row = i * layer.inSize;
      for (let j = 0; j < layer.inSize; j++) gin[j] = gin[j]! + gi * layer.W[row + j]!;
    }
    g = gin;
  }
  return g;
}

/** Evaluates the network on a Tensor / array input (flattened, batch 1) and returns a Tensor of the output shape. */
export function evaluate(net: Network, x: TensorLike): Tensor {
  const y = forward(net, asTensor(x, "x").data);
  const shape = net.outputShape.length > 0 ? net.outputShape : [net.outputSize];
  return tensor(y, shape);
}

/** Builds a fully-connected network from weight matrices W_k (out × in, nested arrays) and biases. */
export function sequential(
  layers: { W: number[][]; b?: number[] }[],
  activation: Activation | Activation[] = { kind: "relu" },
): Network {
  if (layers.length === 0) throw new ShapeError("sequential: layers must not be empty");
  const dense: DenseLayer[] = layers.map((l, k) => {
    const outSize = l.W.length;
    const inSize = l.W[0]?.length ?? 0;
    if (outSize === 0 || inSize === 0) throw new ShapeError(`sequential: layers[${k}].W is empty`);
    const W = new Float64Array(outSize * inSize);
    l.W.forEach((row, i) => {
      if (row.length !== inSize) throw new ShapeError(`sequential: layers[${k}].W is ragged at row ${i}`);
      W.set(row, i * inSize);
    });
    const b = new Float64Array(outSize);
    if (l.b) {
      if (l.b.length !== outSize)
        throw new ShapeError(`sequential: layers[${k}].b has ${l.b.length} values, expected ${outSize}`);
      b.set(l.b);
    }
    return { W, b, inSize, outSize };
  });
  for (let k = 1; k < dense.length; k++) {
    if (dense[k]!.inSize !== dense[k - 1]!.outSize) {
      throw new ShapeError(
        `sequential: layers[${k}] takes ${dense[k]!.inSize} inputs but layers[${k - 1}] gives ${dense[k - 1]!.outSize}`,
      );
    }
  }
  const acts = Array.isArray(activation) ? activation : dense.slice(1).map(() => activation);
  if (acts.length !== dense.length - 1)
    throw new ShapeError(`sequential: need ${dense.length - 1} activations, got ${acts.length}`);
  return {
    dense,
    activations: acts,
    inputSize: dense[0]!.inSize,
    outputSize: dense.at(-1)!.outSize,
    inputShape: [dense[0]!.inSize],
    outputShape: [dense.at(-1)!.outSize],
    inputName: "input",
    outputName: "output",
  };
}
