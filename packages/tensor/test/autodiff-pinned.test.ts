// The per-op fast paths of the autodiff core (one product for x·x, memcpy slices, fill broadcasts, loop
// bookkeeping in the trace) must not move a single bit. fixtures/autodiff-pinned.json holds gradients
// and HVPs computed by @x/tensor at commit 97bb360, before those paths existed (same functions as
// below, by valueAndGrad, hvp, vjp-of-grad, grad-of-grad and jvp-of-grad); the analytic Rosenbrock
// derivatives check that the pinned numbers are right in the first place.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Tensor } from "../src/index.js";
import * as X from "../src/index.js";
import pinned from "./fixtures/autodiff-pinned.json";

interface PinnedCase {
  x: number[];
  v: number[];
  shape: number[];
  value: number;
  grad: number[];
  hvpFwdRev: number[];
  hvpRevRev: number[];
  gradOfGradNorm: number[];
  jvpGrad: number[];
}

const rosen = (x: Tensor) => {
  const a = X.slice(x, [[0, x.size - 1]]);
  const b = X.slice(x, [[1, x.size]]);
  return X.sum(X.add(X.mul(100, X.square(X.sub(b, X.square(a)))), X.square(X.sub(1, a))));
};

// Row block (contiguous), column block and 2-strided window (not), means, tanh, a reduction over an axis.
const mat = (w: Tensor) => {
  const top = X.slice(w, [[0, 2]]);
  const left = X.slice(w, [null, [1, 4]]);
  const strided = X.slice(w, [
    [0, undefined, 2],
    [0, undefined, 2],
  ]);
  const centred = X.sub(top, X.mean(top, { axis: 0, keepDims: true }));
  return X.add(
    X.add(X.sum(X.square(centred)), X.sum(X.mul(X.square(left), X.tanh(left)))),
    X.add(X.sum(X.square(X.sum(w, { axis: 1 }))), X.sum(X.mul(strided, strided))),
  );
};

function derivatives(f: (x: Tensor) => Tensor, c: PinnedCase) {
  const x = X.tensor(c.x, c.shape);
  const v = X.tensor(c.v, c.shape);
  const g = X.grad(f);
  const [value, gr] = X.valueAndGrad(f)(x);
  const arr = (t: unknown) => Array.from((t as Tensor).data);
  return {
    value: value.item(),
    grad: arr(gr),
    hvpFwdRev: arr(X.hvp(f, x, v)),
    hvpRevRev: arr(X.vjp(g, x)[1](v)[0]),
    gradOfGradNorm: arr(X.grad((y: Tensor) => X.sum(X.square(g(y))))(x)),
    jvpGrad: arr(X.jvp(g, [x], [v])[1]),
  };
}

/** Same bits: Object.is per entry (tells 0 from −0), not a tolerance. */
function expectBits(got: number[], want: number[], what: string) {
  expect(got.length, what).toBe(want.length);
  const diff = got.findIndex((g, i) => !Object.is(g, want[i]));
  expect(diff, `${what}: entry ${diff} is ${got[diff]}, pinned ${want[diff]}`).toBe(-1);
}

// scipy.optimize.rosen_der and rosen_hess_prod, written out.
function rosenDer(x: number[]): number[] {
  const n = x.length;
  const g = new Array<number>(n).fill(0);
  for (let i = 0; i < n - 1; i++) {
    const t = x[i + 1]! - x[i]! * x[i]!;
    g[i]! += -400 * x[i]! * t - 2 * (1 - x[i]!);
    g[i + 1]! += 200 * t;
  }
  return g;
}
function rosenHessProd(x: number[], p: number[]): number[] {
  const n = x.length;
  const out = new Array<number>(n).fill(0);
  for (let i = 0; i < n - 1; i++) {
    // The Hessian of the i-th term 100(x_{i+1} − x_i²)² + (1 − x_i)² on (i, i+1).
    const hii = 1200 * x[i]! * x[i]! - 400 * x[i + 1]! + 2;
    const hij = -400 * x[i]!;
    out[i]! += hii * p[i]! + hij * p[i + 1]!;
    out[i + 1]! += hij * p[i]! + 200 * p[i + 1]!;
  }
  return out;
}

const closeTo = (got: number[], want: number[], rtol: number) =>
  got.every((g, i) => Math.abs(g - want[i]!) <= rtol * (1 + Math.abs(want[i]!)));

describe("autodiff results pinned bit for bit", () => {
  const cases = pinned as unknown as Record<string, PinnedCase>;
  for (const [name, f] of [
    ["rosen2", rosen],
    ["rosen10", rosen],
    ["rosen50", rosen],
    ["matrix4x5", mat],
  ] as const) {
    it(`${name}: value, gradient, HVP (fwd-over-rev, rev-over-rev, jvp of grad), grad of ‖∇f‖²`, () => {
      const c = cases[name]!;
      const got = derivatives(f, c);
      expect(Object.is(got.value, c.value), `value ${got.value} vs ${c.value}`).toBe(true);
      for (const k of ["grad", "hvpFwdRev", "hvpRevRev", "gradOfGradNorm", "jvpGrad"] as const) {
        expectBits(got[k], c[k], `${name} ${k}`);
      }
    });
  }

  it("the pinned Rosenbrock numbers are the analytic gradient and Hessian-vector product", () => {
    for (const name of ["rosen2", "rosen10", "rosen50"]) {
      const c = cases[name]!;
      expect(closeTo(c.grad, rosenDer(c.x), 1e-13), `${name} grad`).toBe(true);
      const hp = rosenHessProd(c.x, c.v);
      for (const k of ["hvpFwdRev", "hvpRevRev", "jvpGrad"] as const) {
        expect(closeTo(c[k], hp, 1e-12), `${name} ${k}`).toBe(true);
      }
    }
  });
});

const arbVec = fc
  .integer({ min: 1, max: 24 })
  .chain((n) => fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: n, maxLength: n }));

describe("x·x computed once gives the same bits as two products", () => {
  // square(z) against z·(z·1): the second has two distinct operands, so no product is shared, and
  // z·1 = z exactly; gradients and forward-over-reverse HVPs must agree bit for bit.
  const build = (sq: (z: Tensor) => Tensor) => (x: Tensor) =>
    X.sum(X.add(X.mul(3, sq(X.sub(X.mul(x, 0.5), 1))), sq(X.sub(1, x))));
  const shared = build((z) => X.square(z));
  const separate = build((z) => X.mul(z, X.mul(z, 1)));

  it("gradient, hvp and jvp of grad", () => {
    fc.assert(
      fc.property(arbVec, arbVec, (xs, vs) => {
        const x = X.tensor(xs);
        const v = X.tensor(Array.from({ length: xs.length }, (_, i) => vs[i % vs.length]!));
        const arr = (t: unknown) => Array.from((t as Tensor).data);
        expectBits(arr(X.grad(shared)(x)), arr(X.grad(separate)(x)), "grad");
        expectBits(arr(X.hvp(shared, x, v)), arr(X.hvp(separate, x, v)), "hvp");
        const js = X.jvp((t: Tensor) => X.square(t), [x], [v]) as [Tensor, Tensor];
        const jd = X.jvp((t: Tensor) => X.mul(t, X.mul(t, 1)), [x], [v]) as [Tensor, Tensor];
        expectBits(arr(js[1]), arr(jd[1]), "jvp of square");
        // Reverse over reverse records both products (no sharing): same numbers up to summation order.
        const rr = (f: (x: Tensor) => Tensor) => arr(X.vjp(X.grad(f), x)[1](v)[0]);
        expect(closeTo(rr(shared), rr(separate), 1e-12)).toBe(true);
      }),
    );
  });
});

describe("contiguous slice windows (memcpy path) against an index walk", () => {
  const arbCase = fc
    .array(fc.integer({ min: 0, max: 4 }), { minLength: 0, maxLength: 3 })
    .chain((shape) =>
      fc.tuple(
        fc.constant(shape),
        fc.tuple(
          ...shape.map((n) =>
            fc.tuple(fc.integer({ min: 0, max: n }), fc.integer({ min: 0, max: n }), fc.integer({ min: 1, max: 3 })),
          ),
        ),
      ),
    );

  it("slice and its adjoint (the VJP) on random windows, contiguous or not", () => {
    fc.assert(
      fc.property(arbCase, ([shape, ranges]) => {
        const size = shape.reduce((a, b) => a * b, 1);
        const x = X.tensor(
          Array.from({ length: size }, (_, i) => i + 0.25),
          shape,
        );
        const rs = ranges.map(([b, e, s]) => [b, Math.max(b, e), s] as const);
        const y = X.slice(x, rs);
        const outShape = rs.map(([b, e, s]) => Math.ceil((e - b) / s));
        expect(y.shape).toEqual(outShape);
        // Index walk: output multi-index i reads input begin + i·step.
        const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
        const want: number[] = [];
        const srcIdx: number[] = [];
        const walk = (d: number, off: number) => {
          if (d === shape.length) {
            want.push(off + 0.25);
            srcIdx.push(off);
            return;
          }
          const [b, , s] = rs[d]!;
          for (let i = 0; i < outShape[d]!; i++) walk(d + 1, off + (b + i * s) * strides[d]!);
        };
        walk(0, 0);
        expectBits(Array.from(y.data), want, "slice");
        // VJP of slice with cotangent 1, 2, 3, … scatters into zeros at srcIdx.
        const ct = X.tensor(
          want.map((_, i) => i + 1),
          outShape,
        );
        const back = X.vjp((t: Tensor) => X.slice(t, rs), x)[1](ct)[0] as Tensor;
        const scattered = new Array<number>(size).fill(0);
        srcIdx.forEach((s, i) => {
          scattered[s] = i + 1;
        });
        expectBits(Array.from(back.data), scattered, "slice adjoint");
      }),
    );
  });

  it("broadcasting one value fills every entry (the cotangent of a full sum)", () => {
    fc.assert(
      fc.property(
        fc.double({ noNaN: true }),
        fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 }),
        (v, shape) => {
          const ones = shape.map(() => 1);
          for (const y of [X.broadcastTo(v, shape), X.broadcastTo(X.tensor([v], ones), shape)]) {
            expect(y.shape).toEqual(shape);
            expect(Array.from(y.data).every((e) => Object.is(e, v))).toBe(true);
          }
        },
      ),
    );
  });
});
