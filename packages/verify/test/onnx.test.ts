import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ParseError, UnsupportedError, XError } from "@x/tensor";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { forward, loadOnnx, readOnnxGraph } from "../src/index.js";
import { encodeModel, type ModelSpec } from "./helpers/onnx-encoder.js";

const ACAS = join(__dirname, "fixtures", "acasxu");

function closeAll(a: ArrayLike<number>, b: number[], tol = 1e-12) {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < b.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThanOrEqual(tol * (1 + Math.abs(b[i]!)));
}

describe("loadOnnx on ACAS Xu (opset 8, initializers listed as inputs)", () => {
  it("network 1_1 reproduces the SOURCE.md sanity value", () => {
    const net = loadOnnx(readFileSync(join(ACAS, "ACASXU_run2a_1_1_batch_2000.onnx")));
    expect(net.inputSize).toBe(5);
    expect(net.outputSize).toBe(5);
    expect(net.activations.length).toBe(6);
    const y = forward(net, [0.6399888845, 0, 0, 0.475, -0.475]);
    // SOURCE.md: y ≈ [-0.020680705138, -0.017590498582, -0.017984450159, -0.017534384533, -0.017757124747]
    closeAll(y, [-0.020680705138, -0.017590498582, -0.017984450159, -0.017534384533, -0.017757124747], 5e-11);
  });

  it("reads the graph structure", () => {
    const g = readOnnxGraph(readFileSync(join(ACAS, "ACASXU_run2a_1_1_batch_2000.onnx")));
    expect(g.opset).toBe(8);
    expect(g.nodes.map((n) => n.opType).slice(0, 5)).toEqual(["Sub", "Flatten", "MatMul", "Add", "Relu"]);
    expect(g.initializers.size).toBe(15);
  });
});

const single = (
  op: ModelSpec["nodes"][number],
  inits: ModelSpec["initializers"],
  inShape: number[],
  outShape: number[],
) =>
  encodeModel({
    nodes: [op],
    initializers: inits,
    input: { name: "x", shape: inShape },
    output: { name: "y", shape: outShape },
  });

describe("loadOnnx operators (tiny models written by the test encoder)", () => {
  it("Gemm with transB, alpha, beta", () => {
    // y = 2 · x Bᵀ + 0.5 · c, B = [[1,2],[3,4],[5,6]] (3×2), x = [1, -1]
    const bytes = single(
      {
        op: "Gemm",
        inputs: ["x", "B", "c"],
        outputs: ["y"],
        attrs: [
          { name: "transB", i: 1 },
          { name: "alpha", f: 2 },
          { name: "beta", f: 0.5 },
        ],
      },
      [
        { name: "B", dims: [3, 2], values: [1, 2, 3, 4, 5, 6] },
        { name: "c", dims: [3], values: [2, 4, 6] },
      ],
      [1, 2],
      [1, 3],
    );
    closeAll(forward(loadOnnx(bytes), [1, -1]), [2 * -1 + 1, 2 * -1 + 2, 2 * -1 + 3]);
  });

  it("Gemm with transA on a column input, float32 raw data and initializers as inputs", () => {
    const bytes = encodeModel({
      nodes: [{ op: "Gemm", inputs: ["x", "B"], outputs: ["y"], attrs: [{ name: "transA", i: 1 }] }],
      initializers: [{ name: "B", dims: [2, 2], values: [1, 0.5, -1, 2], kind: "float" }],
      input: { name: "x", shape: [2, 1] },
      output: { name: "y", shape: [1, 2] },
      initializersAsInputs: true,
    });
    closeAll(forward(loadOnnx(bytes), [3, 1]), [3 - 1, 1.5 + 2]);
  });

  it("MatMul, Add, Sub, Mul, Div, Neg-free arithmetic with broadcasting", () => {
    const bytes = encodeModel({
      nodes: [
        { op: "MatMul", inputs: ["x", "W"], outputs: ["a"] },
        { op: "Add", inputs: ["a", "b"], outputs: ["c"] },
        { op: "Sub", inputs: ["k", "c"], outputs: ["d"] }, // constant − dynamic
        { op: "Mul", inputs: ["d", "s"], outputs: ["e"] },
        { op: "Div", inputs: ["e", "q"], outputs: ["y"] },
      ],
      initializers: [
        { name: "W", dims: [2, 2], values: [1, 2, 3, 4] },
        { name: "b", dims: [2], values: [1, 1] },
        { name: "k", dims: [], values: [10] },
        { name: "s", dims: [2], values: [2, -1] },
        { name: "q", dims: [1], values: [4] },
      ],
      input: { name: "x", shape: [1, 2] },
      output: { name: "y", shape: [1, 2] },
    });
    // x = [1, 1]: a = [4, 6], c = [5, 7], d = [5, 3], e = [10, -3], y = [2.5, -0.75]
    closeAll(forward(loadOnnx(bytes), [1, 1]), [2.5, -0.75]);
  });

  it("activations Relu, LeakyRelu, Sigmoid, Tanh become network layers", () => {
    for (const [op, attrs, f] of [
      ["Relu", [], (v: number) => Math.max(v, 0)],
      ["LeakyRelu", [{ name: "alpha", f: 0.125 }], (v: number) => (v > 0 ? v : 0.125 * v)],
      ["Sigmoid", [], (v: number) => 1 / (1 + Math.exp(-v))],
      ["Tanh", [], Math.tanh],
    ] as const) {
      const bytes = encodeModel({
        nodes: [
          { op: "Identity", inputs: ["x"], outputs: ["i"] },
          { op, inputs: ["i"], outputs: ["h"], attrs: [...attrs] },
          { op: "Mul", inputs: ["h", "two"], outputs: ["y"] },
        ],
        initializers: [{ name: "two", dims: [], values: [2] }],
        input: { name: "x", shape: [1, 3] },
        output: { name: "y", shape: [1, 3] },
      });
      const net = loadOnnx(bytes);
      expect(net.activations.length).toBe(1);
      closeAll(
        forward(net, [-2, 0.5, 3]),
        [-2, 0.5, 3].map((v) => 2 * f(v)),
      );
    }
  });

  it("Conv with stride, padding and dilation; bias per output channel", () => {
    // input 1×1×4×4 = 0…15; kernel 1×1×2×2 of ones, dilation 2, stride 2, pads 1 → out 2×2
    const conv = single(
      {
        op: "Conv",
        inputs: ["x", "K", "B"],
        outputs: ["y"],
        attrs: [
          { name: "strides", ints: [2, 2] },
          { name: "pads", ints: [1, 1, 1, 1] },
          { name: "dilations", ints: [2, 2] },
        ],
      },
      [
        { name: "K", dims: [1, 1, 2, 2], values: [1, 1, 1, 1] },
        { name: "B", dims: [1], values: [0.5] },
      ],
      [1, 1, 4, 4],
      [1, 1, 2, 2],
    );
    const x = Array.from({ length: 16 }, (_, i) => i);
    const at = (r: number, c: number) => (r >= 0 && r < 4 && c >= 0 && c < 4 ? r * 4 + c : 0);
    // output (oy, ox) sums input at rows {2oy−1, 2oy+1}, cols {2ox−1, 2ox+1}
    const expected = [0, 1].flatMap((oy) =>
      [0, 1].map(
        (ox) =>
          0.5 +
          at(2 * oy - 1, 2 * ox - 1) +
          at(2 * oy - 1, 2 * ox + 1) +
          at(2 * oy + 1, 2 * ox - 1) +
          at(2 * oy + 1, 2 * ox + 1),
      ),
    );
    closeAll(forward(loadOnnx(conv), x), expected);
  });

  it("BatchNormalization, AveragePool, Flatten, Reshape, Concat, Constant", () => {
    const bytes = encodeModel({
      nodes: [
        {
          op: "BatchNormalization",
          inputs: ["x", "g", "b", "m", "v"],
          outputs: ["n"],
          attrs: [{ name: "epsilon", f: 0 }],
        },
        { op: "AveragePool", inputs: ["n"], outputs: ["p"], attrs: [{ name: "kernel_shape", ints: [2, 2] }] },
        { op: "Flatten", inputs: ["p"], outputs: ["f"], attrs: [{ name: "axis", i: 1 }] },
        {
          op: "Constant",
          inputs: [],
          outputs: ["c"],
          attrs: [{ name: "value", t: { name: "c", dims: [1, 1], values: [7] } }],
        },
        { op: "Concat", inputs: ["f", "c"], outputs: ["cc"], attrs: [{ name: "axis", i: 1 }] },
        { op: "Reshape", inputs: ["cc", "shape"], outputs: ["y"] },
      ],
      initializers: [
        { name: "g", dims: [2], values: [2, 1] },
        { name: "b", dims: [2], values: [1, 0] },
        { name: "m", dims: [2], values: [0, 1] },
        { name: "v", dims: [2], values: [4, 1] },
        { name: "shape", dims: [1], values: [-1], kind: "int64" },
      ],
      input: { name: "x", shape: [1, 2, 2, 2] },
      output: { name: "y", shape: [3] },
    });
    // channel 0: (x−0)/2·2+1 = x+1, channel 1: x−1; pooled means of [1,2,3,4] and [5,6,7,8]
    closeAll(forward(loadOnnx(bytes), [1, 2, 3, 4, 5, 6, 7, 8]), [3.5, 5.5, 7]);
  });

  it("rejects an unsupported op naming node and op type", () => {
    const bytes = single({ op: "Softmax", inputs: ["x"], outputs: ["y"], name: "my_softmax" }, [], [1, 3], [1, 3]);
    expect(() => loadOnnx(bytes)).toThrow(UnsupportedError);
    expect(() => loadOnnx(bytes)).toThrow(/my_softmax.*Softmax/);
  });

  it("rejects truncated and corrupt bytes with ParseError", () => {
    const bytes = readFileSync(join(ACAS, "ACASXU_run2a_1_1_batch_2000.onnx"));
    expect(() => loadOnnx(bytes.subarray(0, bytes.length >> 1))).toThrow(ParseError);
    expect(() => loadOnnx(bytes.subarray(0, 40))).toThrow(ParseError);
    expect(() => loadOnnx(new Uint8Array(0))).toThrow(ParseError);
    expect(() => loadOnnx(new TextEncoder().encode("not a model at all"))).toThrow(XError);
  });

  it("random bytes never crash with anything but a typed error", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 64 }), (b) => {
        try {
          loadOnnx(b);
        } catch (e) {
          return e instanceof XError;
        }
        return true;
      }),
    );
  });
});
