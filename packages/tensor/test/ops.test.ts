import { expectClose } from "@x/test-utils";
import { describe, expect, it } from "vitest";
import * as X from "../src/index.js";
import fixtures from "./fixtures/ops.json";

const num = (v: number | string) => (v === "-inf" ? -Infinity : v === "inf" ? Infinity : (v as number));

describe("construction", () => {
  it("builds from nested arrays, typed arrays and scalars", () => {
    const t = X.tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(t.shape).toStrictEqual([2, 3]);
    expect(t.size).toBe(6);
    expect(t.strides).toStrictEqual([3, 1]);
    expectClose(X.tensor(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]), t);
    expect(X.tensor(5).shape).toStrictEqual([]);
    expect(X.tensor(5).item()).toBe(5);
    expect(t.toArray()).toStrictEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });
  it("copies its input", () => {
    const d = new Float64Array([1, 2]);
    const t = X.tensor(d);
    d[0] = 7;
    expect(t.data[0]).toBe(1);
  });
  it("creates zeros, ones, eye, arange, linspace, full", () => {
    expectClose(X.eye(2, 3, 1), [
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expectClose(X.arange(5), [0, 1, 2, 3, 4]);
    expectClose(X.arange(1, 2, 0.25), [1, 1.25, 1.5, 1.75]);
    expectClose(X.linspace(0, 1, 5), [0, 0.25, 0.5, 0.75, 1]);
    expectClose(X.full([2], 3), [3, 3]);
    expectClose(X.sum(X.ones([3, 4])), 12);
    expect(X.zeros([0, 3]).size).toBe(0);
  });
});

describe("bad input gets a typed error naming the problem", () => {
  it("ragged arrays and non-numbers", () => {
    expect(() => X.tensor([[1, 2], [3]])).toThrow(X.ShapeError);
    expect(() => X.tensor([1, "a" as unknown as number])).toThrow(X.DTypeError);
    expect(() => X.tensor([1, 2, 3], [2, 2])).toThrow(/3 values do not fill shape \[2, 2\]/);
  });
  it("non-broadcastable shapes name both shapes", () => {
    expect(() => X.add(X.zeros([2, 3]), X.zeros([4]))).toThrow(/\[2, 3\] and \[4\] cannot be broadcast/);
    expect(() => X.matmul(X.zeros([2, 3]), X.zeros([2, 3]))).toThrow(X.ShapeError);
  });
  it("wrong axes", () => {
    expect(() => X.sum(X.zeros([2, 3]), { axis: 2 })).toThrow(/axis 2 is out of range for a tensor of rank 2/);
    expect(() => X.sum(X.zeros([2, 3]), { axis: [0, 0] })).toThrow(/repeated axis/);
    expect(() => X.transpose(X.zeros([2, 3]), [0, 0])).toThrow(X.ShapeError);
  });
  it("empty tensors", () => {
    expect(() => X.max(X.zeros([0]))).toThrow(/cannot reduce an empty axis/);
    expect(() => X.argmax(X.zeros([0]))).toThrow(X.ShapeError);
    expect(() => X.mean(X.zeros([0]))).toThrow(X.ShapeError);
    expectClose(X.sum(X.zeros([0])), 0);
  });
  it("bad indices, reshapes and options", () => {
    expect(() => X.take(X.zeros([3]), [3])).toThrow(/index 3 is out of bounds/);
    expect(() => X.take(X.zeros([3]), [0.5])).toThrow(X.DTypeError);
    expect(() => X.reshape(X.zeros([6]), [4, 2])).toThrow(/cannot reshape \[6\]/);
    expect(() => X.arange(0, 1, 0)).toThrow(X.ValueError);
    expect(() => X.topk(X.zeros([3]), 4)).toThrow(X.ValueError);
    expect(() => X.polygamma(-1, 1)).toThrow(X.ValueError);
    expect(() => X.uniform(X.rng(0), [2], 1, 0)).toThrow(X.ValueError);
    expect(() => X.grad((x: X.Tensor) => X.mul(x, 2))(X.zeros([2]))).toThrow(/must return a scalar/);
    expect(() => X.assertFinite([1, Number.NaN], "a")).toThrow(/a must be finite, found NaN at flat index 1/);
  });
});

describe("NumPy/SciPy references (tooling/reference/ops.py)", () => {
  it("logsumexp, softmax and log-softmax on extreme inputs", () => {
    for (const c of fixtures.logsumexp) {
      const x = X.tensor(c.x.map(num));
      expectClose(X.logsumexp(x), num(c.logsumexp), { rtol: 1e-14, atol: 1e-14 }, `logsumexp(${c.x})`);
      if (c.softmax) expectClose(X.softmax(x), c.softmax, { rtol: 1e-13, atol: 1e-300 }, `softmax(${c.x})`);
      if (c.log_softmax) expectClose(X.logSoftmax(x), c.log_softmax.map(num), { rtol: 1e-13, atol: 1e-13 });
    }
  });
  it("batched matmul, cumsum, sort, norms and prod", () => {
    expectClose(X.matmul(fixtures.matmul.a, fixtures.matmul.b), fixtures.matmul.out, {
      rtol: 1e-13,
      atol: 1e-13,
    });
    const m = fixtures.misc;
    expectClose(X.cumsum(m.v, 1), m.cumsum_axis1, { rtol: 1e-14, atol: 1e-14 });
    expectClose(X.sort(m.v, 0), m.sort_axis0, { rtol: 0, atol: 0 });
    expectClose(X.norm(m.v), m.norm_fro, { rtol: 1e-14 });
    expectClose(X.norm(m.v, { ord: 1, axis: 1 }), m.norm_1_axis1, { rtol: 1e-14 });
    expectClose(X.norm(m.v, { ord: Infinity, axis: 1 }), m.norm_inf_axis1, { rtol: 1e-14 });
    expectClose(X.prod(m.v, { axis: 0 }), m.prod_axis0, { rtol: 1e-14 });
  });
});

describe("ops", () => {
  it("topk, argsort with NaN last, takeAlongAxis, scatterAdd", () => {
    const { values, indices } = X.topk([3, 1, 4, 1, 5], 2);
    expectClose(values, [5, 4]);
    expectClose(indices, [4, 2]);
    expectClose(X.argsort([2, Number.NaN, 1]), [2, 0, 1]);
    expectClose(X.scatterAdd(X.zeros([3]), [0, 0, 2], [1, 2, 3]), [3, 0, 3]);
    expectClose(X.takeAlongAxis([[10, 20, 30]], [[2, 0]], 1), [[30, 10]]);
    expectClose(X.putAlongAxisAdd(X.zeros([1, 3]), [[2, 2]], [[1, 1]], 1), [[0, 0, 2]]);
  });
  it("max/min propagate NaN, argmax returns the first NaN", () => {
    expect(Number.isNaN(X.max([1, Number.NaN, 3]).item())).toBe(true);
    expect(Number.isNaN(X.minimum(Number.NaN, 1).item())).toBe(true);
    expect(X.argmax([1, Number.NaN, 3]).item()).toBe(1);
  });
  it("stableMax is a distribution that does not collapse where softmax does", () => {
    const x = X.tensor([0, 800]);
    expectClose(X.sum(X.stableMax(x)), 1);
    expect(X.stableMax(x).data[0]).toBeGreaterThan(0);
    expect(X.softmax(x).data[0]).toBe(0);
  });
  it("pad, slice with steps, stack, squeeze", () => {
    expectClose(X.pad([1, 2], [[1, 2]], 9), [9, 1, 2, 9, 9]);
    expectClose(X.slice(X.arange(10), [[1, 8, 3]]), [1, 4, 7]);
    expectClose(X.slice(X.arange(10), [[-3]]), [7, 8, 9]);
    expect(X.stack([X.zeros([2]), X.ones([2])], 1).shape).toStrictEqual([2, 2]);
    expect(X.squeeze(X.zeros([1, 3, 1])).shape).toStrictEqual([3]);
  });
});
