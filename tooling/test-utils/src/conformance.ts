// The backend conformance suite: every op of @x/tensor on a given backend against naive reference
// implementations written here with index arithmetic (independent of any backend's kernels).
// A backend is done when `describeBackend(name)` passes; tolerance follows its floatPrecision.
import * as X from "@x/tensor";
import { getBackend, setBackend, type Tensor, tensor } from "@x/tensor";
import fc from "fast-check";
import { afterAll, beforeAll, describe, it } from "vitest";
import { arbBroadcastablePair, arbShape, arbTensor, arbTensorOf, type ValueOptions } from "./arbitraries.js";
import { expectClose, tolFor } from "./close.js";

type Arr = { shape: number[]; data: Float64Array };

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
const unravel = (i: number, s: readonly number[]) => {
  const idx = new Array<number>(s.length);
  for (let d = s.length - 1; d >= 0; d--) {
    idx[d] = i % s[d]!;
    i = Math.floor(i / s[d]!);
  }
  return idx;
};
const ravel = (idx: readonly number[], s: readonly number[]) => idx.reduce((acc, v, d) => acc * s[d]! + v, 0);
const arr = (t: Tensor): Arr => ({ shape: [...t.shape], data: Float64Array.from(t.data) });

function bshape(a: readonly number[], b: readonly number[]): number[] {
  const r = Math.max(a.length, b.length);
  return Array.from({ length: r }, (_, i) => {
    const x = a[a.length - r + i] ?? 1;
    const y = b[b.length - r + i] ?? 1;
    return x === 1 ? y : x;
  });
}
/** Value of `a` at a broadcast output multi-index. */
const at = (a: Arr, idx: readonly number[]) => {
  const off = idx.length - a.shape.length;
  return a.data[
    ravel(
      a.shape.map((d, k) => (d === 1 ? 0 : idx[off + k]!)),
      a.shape,
    )
  ]!;
};

function refBinary(a: Arr, b: Arr, f: (x: number, y: number) => number): Arr {
  const shape = bshape(a.shape, b.shape);
  const data = new Float64Array(size(shape));
  for (let i = 0; i < data.length; i++) {
    const idx = unravel(i, shape);
    data[i] = f(at(a, idx), at(b, idx));
  }
  return { shape, data };
}

function refReduce(a: Arr, axes: number[], init: number, f: (acc: number, v: number) => number): Arr {
  const shape = a.shape.filter((_, i) => !axes.includes(i));
  const data = new Float64Array(size(shape)).fill(init);
  for (let i = 0; i < a.data.length; i++) {
    const idx = unravel(i, a.shape).filter((_, d) => !axes.includes(d));
    const o = ravel(idx, shape);
    data[o] = f(data[o]!, a.data[i]!);
  }
  return { shape, data };
}

function refMatmul(a: Arr, b: Arr): Arr {
  const [m, k] = a.shape.slice(-2) as [number, number];
  const n = b.shape[b.shape.length - 1]!;
  const batch = bshape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const shape = [...batch, m, n];
  const data = new Float64Array(size(shape));
  for (let i = 0; i < data.length; i++) {
    const idx = unravel(i, shape);
    const bi = idx.slice(0, -2);
    const [r, c] = idx.slice(-2) as [number, number];
    let s = 0;
    for (let t = 0; t < k; t++) s += at(a, [...bi, r, t]) * at(b, [...bi, t, c]);
    data[i] = s;
  }
  return { shape, data };
}

function refTranspose(a: Arr, perm: number[]): Arr {
  const shape = perm.map((p) => a.shape[p]!);
  const data = new Float64Array(a.data.length);
  for (let i = 0; i < data.length; i++) {
    const idx = unravel(i, shape);
    const src = new Array<number>(perm.length);
    perm.forEach((p, k) => {
      src[p] = idx[k]!;
    });
    data[i] = a.data[ravel(src, a.shape)]!;
  }
  return { shape, data };
}

const UNARY: [string, (x: Tensor) => Tensor, (x: number) => number, ValueOptions?][] = [
  ["neg", X.neg, (x) => -x],
  ["abs", X.abs, Math.abs],
  ["exp", X.exp, Math.exp],
  ["log", X.log, Math.log, { min: 0.01, max: 5 }],
  ["sqrt", X.sqrt, Math.sqrt, { min: 0, max: 5 }],
  ["log1p", X.log1p, Math.log1p, { min: -0.9, max: 5 }],
  ["expm1", X.expm1, Math.expm1],
  ["tanh", X.tanh, Math.tanh],
  ["sigmoid", X.sigmoid, (x) => 1 / (1 + Math.exp(-x))],
  ["relu", X.relu, (x) => Math.max(x, 0)],
  ["softplus", X.softplus, (x) => Math.log(1 + Math.exp(x))],
  ["sin", X.sin, Math.sin],
  ["cos", X.cos, Math.cos],
  ["erf", X.erf, X.scalar.erf],
  ["lgamma", X.lgamma, X.scalar.lgamma, { min: 0.1, max: 20 }],
  ["digamma", X.digamma, X.scalar.digamma, { min: 0.1, max: 20 }],
];

const BINARY: [string, (a: Tensor, b: Tensor) => Tensor, (x: number, y: number) => number, ValueOptions?][] = [
  ["add", X.add, (x, y) => x + y],
  ["sub", X.sub, (x, y) => x - y],
  ["mul", X.mul, (x, y) => x * y],
  ["div", X.div, (x, y) => x / y, { min: 0.5, max: 3 }],
  ["pow", X.pow, Math.pow, { min: 0.1, max: 2 }],
  ["maximum", X.maximum, Math.max],
  ["minimum", X.minimum, Math.min],
  ["greater", X.greater, (x, y) => (x > y ? 1 : 0)],
  ["lessEqual", X.lessEqual, (x, y) => (x <= y ? 1 : 0)],
];

export interface ConformanceOptions {
  /** Runs per property (default 25; FC_NUM_RUNS overrides globally). */
  numRuns?: number;
}

/** Registers a vitest suite that runs every op on `backendName` against the naive references. */
export function describeBackend(backendName: string, { numRuns = 25 }: ConformanceOptions = {}): void {
  describe(`conformance: backend ${backendName}`, () => {
    let previous = "cpu";
    beforeAll(() => {
      previous = getBackend().name;
      setBackend(backendName);
    });
    afterAll(() => {
      setBackend(previous);
    });
    const tol = () => tolFor(getBackend().floatPrecision);
    const prop = <T>(arb: fc.Arbitrary<T>, body: (v: T) => void) => fc.assert(fc.property(arb, body), { numRuns });
    const check = (t: Tensor, ref: Arr, label: string, scale = 1) => {
      const tl = tol();
      expectClose(t, tensor(ref.data, ref.shape), { rtol: tl.rtol * scale, atol: tl.atol * scale }, label);
    };

    for (const [name, op, f, range] of UNARY) {
      it(`unary ${name}`, () =>
        prop(arbTensor({ maxRank: 3 }, range ?? {}), (x) => {
          const a = arr(x);
          check(op(x), { shape: a.shape, data: a.data.map(f) }, name, 10);
        }));
    }
    for (const [name, op, f, range] of BINARY) {
      it(`binary ${name} with broadcasting`, () =>
        prop(arbBroadcastablePair({ maxRank: 3 }, range ?? {}), ([a, b]) => {
          check(op(a, b), refBinary(arr(a), arr(b), f), name, 10);
        }));
    }
    it("where with broadcasting", () =>
      prop(arbBroadcastablePair({ maxRank: 3 }), ([a, b]) => {
        const c = X.greater(a, 0);
        const ref = refBinary(arr(a), arr(b), (x, y) => (x > 0 ? x : y));
        check(X.where(c, a, b), ref, "where");
      }));
    const arbAxes = arbShape({ minRank: 1, maxRank: 3 }).chain((s) =>
      fc.tuple(
        arbTensorOf(s),
        fc.subarray(
          s.map((_, i) => i),
          { minLength: 1 },
        ),
      ),
    );
    it("sum / max / min over axes", () =>
      prop(arbAxes, ([x, axes]) => {
        const a = arr(x);
        check(
          X.sum(x, { axis: axes }),
          refReduce(a, axes, 0, (p, v) => p + v),
          "sum",
          10,
        );
        check(X.max(x, { axis: axes }), refReduce(a, axes, -Infinity, Math.max), "max");
        check(X.min(x, { axis: axes }), refReduce(a, axes, Infinity, Math.min), "min");
      }));
    it("argmax / argmin along an axis", () =>
      prop(arbAxes, ([x, [axis]]) => {
        const a = arr(x);
        const ax = axis!;
        const mx = refReduce(a, [ax], -Infinity, Math.max);
        const got = X.argmax(x, ax).data;
        for (let i = 0; i < got.length; i++) {
          const idx = unravel(i, mx.shape);
          idx.splice(ax, 0, got[i]!);
          expectClose(a.data[ravel(idx, a.shape)]!, mx.data[i]!, { rtol: 0, atol: 0 }, "argmax picks the max");
        }
      }));
    it("matmul (batched, broadcasting)", () =>
      prop(
        fc
          .tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }))
          .chain(([m, k, n]) =>
            fc.tuple(
              fc.constantFrom([], [2], [1], [3, 2]).chain((ba) => arbTensorOf([...ba, m, k])),
              fc.constantFrom([], [2], [1]).chain((bb) => arbTensorOf([...bb, k, n])),
            ),
          )
          .filter(([a, b]) => {
            const ba = a.shape.slice(0, -2);
            const bb = b.shape.slice(0, -2);
            const r = Math.min(ba.length, bb.length);
            for (let i = 1; i <= r; i++) {
              const x = ba[ba.length - i]!;
              const y = bb[bb.length - i]!;
              if (x !== y && x !== 1 && y !== 1) return false;
            }
            return true;
          }),
        ([a, b]) => check(X.matmul(a, b), refMatmul(arr(a), arr(b)), "matmul", 100),
      ));
    it("transpose with a random permutation", () =>
      prop(
        arbShape({ minRank: 1, maxRank: 4 }).chain((s) =>
          fc.tuple(
            arbTensorOf(s),
            fc.shuffledSubarray(
              s.map((_, i) => i),
              { minLength: s.length },
            ),
          ),
        ),
        ([x, perm]) => check(X.transpose(x, perm), refTranspose(arr(x), perm), "transpose"),
      ));
    it("slice, concat, take and cumsum", () =>
      prop(arbTensor({ minRank: 2, maxRank: 2, maxDim: 5 }), (x) => {
        const [m, n] = x.shape as [number, number];
        const a = arr(x);
        const s = X.slice(x, [[0, m, 2], [1]]);
        const sref = new Float64Array(size(s.shape));
        let k = 0;
        for (let i = 0; i < m; i += 2) for (let j = 1; j < n; j++) sref[k++] = a.data[i * n + j]!;
        check(s, { shape: [...s.shape], data: sref }, "slice");
        const c = X.concat([x, x], 1);
        const cref = new Float64Array(2 * m * n);
        for (let i = 0; i < m; i++) for (let j = 0; j < 2 * n; j++) cref[i * 2 * n + j] = a.data[i * n + (j % n)]!;
        check(c, { shape: [m, 2 * n], data: cref }, "concat");
        const idx = [n - 1, 0, n - 1];
        const t = X.take(x, idx, 1);
        const tref = new Float64Array(m * 3);
        for (let i = 0; i < m; i++) idx.forEach((j, q) => (tref[i * 3 + q] = a.data[i * n + j]!));
        check(t, { shape: [m, 3], data: tref }, "take");
        const cs = X.cumsum(x, 0);
        const csref = Float64Array.from(a.data);
        for (let i = 1; i < m; i++) for (let j = 0; j < n; j++) csref[i * n + j]! += csref[(i - 1) * n + j]!;
        check(cs, { shape: [m, n], data: csref }, "cumsum", 10);
      }));
    it("sort matches Array.prototype.sort", () =>
      prop(arbTensor({ minRank: 1, maxRank: 1, maxDim: 12 }), (x) => {
        const ref = Float64Array.from(x.data).sort();
        check(X.sort(x), { shape: [x.size], data: ref }, "sort");
      }));
    it("softmax rows sum to one and logsumexp matches the naive formula", () =>
      prop(arbTensor({ minRank: 2, maxRank: 2 }), (x) => {
        const [m, n] = x.shape as [number, number];
        const a = arr(x);
        const lse = new Float64Array(m);
        for (let i = 0; i < m; i++) {
          let s = 0;
          for (let j = 0; j < n; j++) s += Math.exp(a.data[i * n + j]!);
          lse[i] = Math.log(s);
        }
        check(X.logsumexp(x, { axis: 1 }), { shape: [m], data: lse }, "logsumexp", 10);
        check(X.sum(X.softmax(x), { axis: 1 }), { shape: [m], data: new Float64Array(m).fill(1) }, "softmax", 10);
      }));
  });
}
