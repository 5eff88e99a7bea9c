// Every differentiable op: gradCheck (central differences) and the adjoint identity at random
// shapes, second derivatives via HVP against finite differences of the gradient.
import {
  adjointCheck,
  arbBroadcastShapes,
  arbShape,
  arbTensorOf,
  close,
  gradCheck,
  type ValueOptions,
} from "@x/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Tensor } from "../src/index.js";
import * as X from "../src/index.js";

const numRuns = 15;

/** A fixed random weighting turns any op into a scalar loss whose gradient exercises every entry. */
function weighted(op: (x: Tensor) => Tensor, seed: number) {
  return (x: Tensor) => {
    const y = op(x);
    const w = X.normal(X.rng(seed), [...y.shape]);
    return X.sum(X.mul(y, w));
  };
}

/**
 * Non-smooth ops are checked away from their kinks: a ramp with an irrational step makes entries
 * distinct (fast-check loves repeated 0 and ±max), then values are pushed away from 0.
 */
const spread = (x: Tensor, step: number) =>
  X.tensor(
    x.data.map((v, i) => {
      const w = v + step * (i + 1);
      return Math.abs(w) < 0.05 ? w + 0.1 : w;
    }),
    x.shape,
  );
const smoothAt = (x: Tensor, gap = 1e-3) => {
  const d = Array.from(x.data).sort((a, b) => a - b);
  return d.every((v, i) => Math.abs(v) > gap && (i === 0 || d[i]! - d[i - 1]! > gap));
};

function checkOp(name: string, op: (x: Tensor) => Tensor, arb: fc.Arbitrary<Tensor>, second = true, kinked = false) {
  it(`${name}: gradCheck, adjoint identity${second ? ", HVP vs finite differences" : ""}`, () => {
    fc.assert(
      fc.property(arb, fc.integer({ min: 0, max: 1000 }), (x, seed) => {
        if (kinked) {
          x = spread(x, 0.0137 * Math.SQRT2);
          fc.pre(smoothAt(x));
        }
        const f = weighted(op, seed);
        const r = gradCheck(f, x, { seed, rtol: 1e-5, atol: 1e-6 });
        if (!r.ok) throw new Error(`${name} gradCheck: ${r.details}`);
        const { lhs, rhs } = adjointCheck(op, x, seed);
        if (!close(lhs, rhs, { rtol: 1e-9, atol: 1e-9 })) throw new Error(`${name} adjoint: ${lhs} vs ${rhs}`);
        if (second) {
          const v = X.normal(X.rng(seed + 1), [...x.shape]);
          const hv = X.hvp(f, x, v) as Tensor;
          const h = 1e-5;
          const g = X.grad(f);
          const gp = g(X.add(x, X.mul(v, h))) as Tensor;
          const gm = g(X.sub(x, X.mul(v, h))) as Tensor;
          const fd = X.div(X.sub(gp, gm), 2 * h).data;
          hv.data.forEach((a, i) => {
            if (!close(a, fd[i]!, { rtol: 1e-4, atol: 1e-5 })) throw new Error(`${name} HVP[${i}]: ${a} vs ${fd[i]}`);
          });
        }
      }),
      { numRuns },
    );
  });
}

const small = (opts: ValueOptions = {}, shape = { maxRank: 3, maxDim: 3 }) =>
  arbShape(shape).chain((s) => arbTensorOf(s, opts));
// Keep away from kinks (abs, relu, max) so finite differences are valid.
const awayFromZero = small({ min: -2, max: 2 }).map((t) => X.where(X.greaterEqual(t, 0), X.add(t, 0.1), X.sub(t, 0.1)));

describe("unary ops", () => {
  checkOp("neg", X.neg, small());
  checkOp("abs", X.abs, awayFromZero);
  checkOp("sqrt", X.sqrt, small({ min: 0.3, max: 3 }));
  checkOp("exp", X.exp, small());
  checkOp("log", X.log, small({ min: 0.3, max: 3 }));
  checkOp("log1p", X.log1p, small({ min: -0.5, max: 3 }));
  checkOp("expm1", X.expm1, small());
  checkOp("tanh", X.tanh, small());
  checkOp("sigmoid", X.sigmoid, small());
  checkOp("relu", X.relu, awayFromZero, false);
  checkOp("softplus", X.softplus, small());
  checkOp("sin", X.sin, small());
  checkOp("cos", X.cos, small());
  checkOp("erf", X.erf, small());
  checkOp("lgamma", X.lgamma, small({ min: 0.3, max: 6 }));
  checkOp("digamma", X.digamma, small({ min: 0.5, max: 6 }));
  checkOp("logBesselI(1.5, ·)", (x) => X.logBesselI(1.5, x), small({ min: 0.3, max: 6 }));
  checkOp("logBesselK(0.7, ·)", (x) => X.logBesselK(0.7, x), small({ min: 0.3, max: 6 }));
  checkOp("logSigmoid", X.logSigmoid, small());
});

describe("binary ops with broadcasting (each argument in turn)", () => {
  const pairs = (opts: ValueOptions) =>
    arbBroadcastShapes({ maxRank: 3, maxDim: 3 }).chain(([sa, sb]) =>
      fc.tuple(arbTensorOf(sa, opts), arbTensorOf(sb, opts)),
    );
  const binary: [string, (a: Tensor, b: Tensor) => Tensor, ValueOptions][] = [
    ["add", X.add, {}],
    ["sub", X.sub, {}],
    ["mul", X.mul, {}],
    ["div", X.div, { min: 0.5, max: 2 }],
    ["pow", X.pow, { min: 0.5, max: 2 }],
    ["maximum", X.maximum, {}],
    ["minimum", X.minimum, {}],
    ["where", (a, b) => X.where(X.greater(b, 0), a, b), {}],
  ];
  for (const [name, op, opts] of binary) {
    it(`${name}: gradients through both arguments and their broadcasting`, () => {
      fc.assert(
        fc.property(pairs(opts), fc.integer({ min: 0, max: 1000 }), ([a0, b0], seed) => {
          const [a, b] = [spread(a0, 0.0137 * Math.SQRT2), spread(b0, 0.0191 * Math.PI)];
          fc.pre(smoothAt(X.concat([X.flatten(a), X.flatten(b)])));
          for (const [label, f, x] of [
            ["a", (t: Tensor) => op(t, b), a],
            ["b", (t: Tensor) => op(a, t), b],
          ] as const) {
            const r = gradCheck(weighted(f, seed), x, { seed, rtol: 1e-5, atol: 1e-6 });
            if (!r.ok) throw new Error(`${name} wrt ${label}: ${r.details}`);
            const { lhs, rhs } = adjointCheck(f, x, seed);
            if (!close(lhs, rhs, { rtol: 1e-9, atol: 1e-9 }))
              throw new Error(`${name} adjoint wrt ${label}: ${lhs} vs ${rhs}`);
          }
        }),
        { numRuns },
      );
    });
  }
});

describe("reductions, shape ops, indexing and matmul", () => {
  const m34 = arbTensorOf([3, 4]);
  checkOp("sum(axis 1)", (x) => X.sum(x, { axis: 1 }), m34);
  checkOp("mean(keepDims)", (x) => X.mean(x, { axis: 0, keepDims: true }), m34);
  checkOp("max(axis 0)", (x) => X.max(x, { axis: 0 }), m34, false, true);
  checkOp("min(all)", (x) => X.min(x), m34, false, true);
  checkOp("prod(axis 1)", (x) => X.prod(x, { axis: 1 }), m34);
  checkOp("logsumexp(axis 1)", (x) => X.logsumexp(x, { axis: 1 }), m34);
  checkOp("softmax", (x) => X.softmax(x), m34);
  checkOp("logSoftmax", (x) => X.logSoftmax(x, 0), m34);
  checkOp("stableMax", (x) => X.stableMax(x), m34, true, true);
  checkOp("norm", (x) => X.norm(x), m34, true, true);
  checkOp("norm ord 3", (x) => X.norm(x, { ord: 3, axis: 1 }), m34, true, true);
  checkOp("reshape", (x) => X.reshape(x, [2, 6]), m34);
  checkOp("transpose", (x) => X.transpose(x), m34);
  checkOp("broadcastTo", (x) => X.broadcastTo(x, [2, 3, 4]), m34);
  checkOp("slice", (x) => X.slice(x, [[0, 3, 2], [1]]), m34);
  checkOp(
    "pad",
    (x) =>
      X.pad(
        x,
        [
          [1, 0],
          [2, 1],
        ],
        0,
      ),
    m34,
  );
  checkOp("concat", (x) => X.concat([x, X.mul(x, x)], 0), m34);
  checkOp("take", (x) => X.take(x, [3, 0, 3], 1), m34);
  checkOp("takeAlongAxis", (x) => X.takeAlongAxis(x, [[2, 2, 0, 1]], 0), m34);
  checkOp("scatterAdd", (x) => X.scatterAdd(x, [0, 0], X.mul(X.slice(x, [[0, 2]]), 2), 0), m34);
  checkOp("cumsum", (x) => X.cumsum(x, 1, true), m34);
  checkOp("sort", (x) => X.sort(x, 1), m34, true, true);
  checkOp("matmul", (x) => X.matmul(x, X.transpose(x)), m34);
  checkOp("batched matmul", (x) => X.matmul(X.reshape(x, [2, 3, 2]), X.reshape(x, [2, 2, 3])), m34);
  checkOp("dot", (x) => X.dot(X.flatten(x), X.sin(X.flatten(x))), m34);
});

describe("nested differentiation", () => {
  it("grad(grad(x³)) = 6x and grad³ = 6", () => {
    const f = (x: Tensor) => X.mul(X.mul(x, x), x);
    const g2 = X.grad(X.grad(f));
    expect(close((g2(X.tensor(1.5)) as Tensor).item(), 9)).toBe(true);
    expect(close((X.grad(X.grad(X.grad(f)))(X.tensor(-2)) as Tensor).item(), 6)).toBe(true);
  });
  it("has no perturbation confusion (Siskind & Pearlmutter)", () => {
    // d/dx [x · d/dy (x + y)]  = 1, not 2.
    const inner = (x: Tensor) => X.grad((y: Tensor) => X.add(x, y))(X.tensor(1)) as Tensor;
    expect(close((X.grad((x: Tensor) => X.mul(x, inner(x)))(X.tensor(1)) as Tensor).item(), 1)).toBe(true);
    // x ↦ grad(y ↦ x·y)(1) = x, whose derivative is 1.
    const h = (x: Tensor) => X.grad((y: Tensor) => X.mul(x, y))(X.tensor(1)) as Tensor;
    expect(close((X.grad(h)(X.tensor(3)) as Tensor).item(), 1)).toBe(true);
    // The same through forward mode.
    const [, t] = X.jvp(h, [X.tensor(3)], [X.tensor(1)]);
    expect(close((t as Tensor).item(), 1)).toBe(true);
  });
  it("forward-over-reverse = reverse-over-reverse, and ⟨u, Hv⟩ = ⟨v, Hu⟩", () => {
    const f = (x: Tensor) => X.sum(X.mul(X.sin(x), X.exp(X.mul(x, X.flatten(X.transpose(X.reshape(x, [2, 3])))))));
    fc.assert(
      fc.property(arbTensorOf([6]), arbTensorOf([6]), arbTensorOf([6]), (x, u, v) => {
        const hv = X.hvp(f, x, v) as Tensor;
        const hu = X.hvp(f, x, u) as Tensor;
        const rr = X.grad((z: Tensor) => X.dot(X.grad(f)(z) as Tensor, v))(x) as Tensor;
        rr.data.forEach((a, i) => expect(close(a, hv.data[i]!, { rtol: 1e-9, atol: 1e-9 })).toBe(true));
        expect(close(X.dot(u, hv).item(), X.dot(v, hu).item(), { rtol: 1e-9, atol: 1e-9 })).toBe(true);
      }),
      { numRuns: 20 },
    );
  });
  it("Rosenbrock Hessian at (1, 1) has eigenvalues 0.3993607675 and 1001.6006392325", () => {
    const rosen = (p: Tensor) => {
      const [x, y] = [X.slice(p, [[0, 1]]), X.slice(p, [[1, 2]])];
      return X.sum(X.add(X.square(X.sub(1, x)), X.mul(100, X.square(X.sub(y, X.square(x))))));
    };
    const h = X.hessian(rosen)(X.tensor([1, 1])).data;
    const [a, b, d] = [h[0]!, h[1]!, h[3]!];
    const mid = (a + d) / 2;
    const rad = Math.sqrt(((a - d) / 2) ** 2 + b * b);
    expect(close(mid - rad, 0.3993607675, { rtol: 1e-9 })).toBe(true);
    expect(close(mid + rad, 1001.6006392325, { rtol: 1e-12 })).toBe(true);
    expect(close(h[1]!, h[2]!)).toBe(true);
  });
  it("HVP of an MLP loss matches finite differences of its gradient", () => {
    const key = X.rng(7);
    const [k1, k2, k3] = X.split(key, 3) as [X.Key, X.Key, X.Key];
    const data = X.normal(k1, [8, 3]);
    const target = X.normal(k2, [8, 1]);
    const unpack = (p: Tensor) => ({
      w1: X.reshape(X.slice(p, [[0, 12]]), [3, 4]),
      b1: X.slice(p, [[12, 16]]),
      w2: X.reshape(X.slice(p, [[16, 20]]), [4, 1]),
    });
    const loss = (p: Tensor) => {
      const { w1, b1, w2 } = unpack(p);
      const h = X.tanh(X.add(X.matmul(data, w1), b1));
      return X.mean(X.square(X.sub(X.matmul(h, w2), target)));
    };
    const p = X.normal(k3, [20]);
    const v = X.normal(X.rng(9), [20]);
    const hv = (X.hvp(loss, p, v) as Tensor).data;
    const eps = 1e-5;
    const g = X.grad(loss);
    const fd = X.div(X.sub(g(X.add(p, X.mul(v, eps))) as Tensor, g(X.sub(p, X.mul(v, eps))) as Tensor), 2 * eps).data;
    hv.forEach((a, i) => expect(close(a, fd[i]!, { rtol: 1e-5, atol: 1e-7 })).toBe(true));
  });
  it("jacobian: forward and reverse modes agree; Hessians are symmetric", () => {
    fc.assert(
      fc.property(arbTensorOf([4]), (x) => {
        const f = (z: Tensor) => X.softmax(X.mul(z, X.cumsum(z)));
        const jr = X.jacobian(f, { mode: "rev" })(x).data;
        const jf = X.jacobian(f, { mode: "fwd" })(x).data;
        jr.forEach((a, i) => expect(close(a, jf[i]!, { rtol: 1e-10, atol: 1e-12 })).toBe(true));
        const h = X.hessian((z: Tensor) => X.logsumexp(X.mul(z, z)))(x).data;
        for (let i = 0; i < 4; i++)
          for (let j = 0; j < 4; j++) expect(close(h[i * 4 + j]!, h[j * 4 + i]!, { atol: 1e-10 })).toBe(true);
      }),
      { numRuns: 10 },
    );
  });
});

describe("pytrees, argnums, hasAux, stopGradient, custom rules", () => {
  it("differentiates through objects and lists of tensors", () => {
    const params = { w: X.tensor([1, 2]), b: [X.tensor(0.5)] };
    const loss = (p: typeof params) => X.sum(X.square(X.add(X.mul(p.w, 3), p.b[0]!)));
    const g = X.grad(loss)(params) as { w: Tensor; b: Tensor[] };
    expect(close(g.w.data[0]!, 2 * 3.5 * 3)).toBe(true);
    expect(close(g.b[0]!.item(), 2 * 3.5 + 2 * 6.5)).toBe(true);
  });
  it("argnums, hasAux and stopGradient", () => {
    const f = (a: Tensor, b: Tensor) => X.mul(X.mul(a, a), b);
    const [ga, gb] = X.grad(f, [0, 1])(X.tensor(2), X.tensor(3)) as Tensor[];
    expect(close(ga!.item(), 12)).toBe(true);
    expect(close(gb!.item(), 4)).toBe(true);
    const [v, g, aux] = X.valueAndGrad((x: Tensor) => [X.mul(x, X.stopGradient(x)), "aux"] as const, {
      hasAux: true,
    })(X.tensor(3));
    expect(v.item()).toBe(9);
    expect(close((g as Tensor).item(), 3)).toBe(true);
    expect(aux).toBe("aux");
  });
  it("customVjp uses its rule (also inside a second derivative)", () => {
    // clipped-gradient identity: forward x², backward 2x·g with a rule written in ops.
    const sq = X.customVjp(
      (x: Tensor) => X.mul(x, x),
      (x: Tensor) => [X.mul(x, x), x] as [Tensor, Tensor],
      (x, g) => [X.mul(X.mul(g, 2), x)],
    );
    expect(close((X.grad(sq)(X.tensor(3)) as Tensor).item(), 6)).toBe(true);
    expect(close((X.grad(X.grad(sq))(X.tensor(3)) as Tensor).item(), 2)).toBe(true);
    const [, t] = X.jvp(sq, [X.tensor(3)], [X.tensor(1)]);
    expect(close((t as Tensor).item(), 6)).toBe(true);
    // A deliberately different backward rule proves the rule (not autodiff of f) is used.
    const fake = X.customVjp(
      (x: Tensor) => X.mul(x, x),
      (x: Tensor) => [X.mul(x, x), null] as [Tensor, null],
      (_r, g) => [X.mul(g, 100)],
    );
    expect(close((X.grad(fake)(X.tensor(3)) as Tensor).item(), 100)).toBe(true);
  });
  it("customJvp: forward rule used, reverse mode by transposition", () => {
    const safeLog1pExp = X.customJvp(
      (x: Tensor) => X.softplus(x),
      ([x], [t]) => [X.softplus(x), X.mul(t, X.sigmoid(x))],
    );
    fc.assert(
      fc.property(arbTensorOf([3]), (x) => {
        const g = X.grad((z: Tensor) => X.sum(safeLog1pExp(z)))(x) as Tensor;
        X.sigmoid(x).data.forEach((s, i) => expect(close(g.data[i]!, s)).toBe(true));
      }),
      { numRuns: 10 },
    );
  });
});
