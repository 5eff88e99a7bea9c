import { solve } from "@x/linalg";
import * as X from "@x/tensor";
import { arbValues } from "@x/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type DenseLayer, kfac } from "../src/optim/kfac.js";
import { mlpForward, mlpKfacStats } from "../src/optim/mlp-kfac-stats.js";
import { sgd } from "../src/optim/sgd.js";
import { applyUpdates } from "../src/optim/tree.js";
import { maxAbsDiff } from "./problems.js";

/** A random layer problem: din, dout, batch rows of a [B, din] and g [B, dout], bias flag. */
const arbLayer = (minB: number, maxB: number) =>
  fc
    .tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: minB, max: maxB }))
    .chain(([din, dout, B]) =>
      fc.record({
        din: fc.constant(din),
        dout: fc.constant(dout),
        B: fc.constant(B),
        a: arbValues(B * din, { min: -2, max: 2 }),
        g: arbValues(B * dout, { min: -2, max: 2 }),
        bias: fc.boolean(),
        lam: fc.double({ min: 0.01, max: 1, noNaN: true }),
      }),
    );

type Case = { din: number; dout: number; B: number; a: number[]; g: number[]; bias: boolean; lam: number };

/** ā (with a ones column when bias), the batch-mean gradient W̄ = (1/B) Σ ā gᵀ, and A, G. */
function layerCase(c: Case) {
  const dA = c.din + (c.bias ? 1 : 0);
  const abar = (r: number, i: number) => (i < c.din ? c.a[r * c.din + i]! : 1);
  const A = new Float64Array(dA * dA);
  const G = new Float64Array(c.dout * c.dout);
  const W = new Float64Array(dA * c.dout);
  for (let r = 0; r < c.B; r++) {
    for (let i = 0; i < dA; i++) {
      for (let j = 0; j < dA; j++) A[i * dA + j]! += (abar(r, i) * abar(r, j)) / c.B;
      for (let j = 0; j < c.dout; j++) W[i * c.dout + j]! += (abar(r, i) * c.g[r * c.dout + j]!) / c.B;
    }
    for (let i = 0; i < c.dout; i++)
      for (let j = 0; j < c.dout; j++) G[i * c.dout + j]! += (c.g[r * c.dout + i]! * c.g[r * c.dout + j]!) / c.B;
  }
  const grads: DenseLayer[] = [{ w: X.tensor(W.slice(0, c.din * c.dout), [c.din, c.dout]) }];
  if (c.bias) grads[0]!.b = X.tensor(W.slice(c.din * c.dout));
  const extra = { layers: [{ a: X.tensor(c.a, [c.B, c.din]), g: X.tensor(c.g, [c.B, c.dout]) }] };
  return { dA, A, G, W, grads, extra };
}

/** Dense (P ⊗ Q + shift·I)⁻¹ vec(W) in row-major vec order. */
function denseKronSolve(P: Float64Array, Q: Float64Array, m: number, n: number, shift: number, W: Float64Array) {
  const N = m * n;
  const K = new Float64Array(N * N);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++)
      for (let k = 0; k < m; k++)
        for (let l = 0; l < n; l++) K[(i * n + j) * N + k * n + l] = P[i * m + k]! * Q[j * n + l]!;
  for (let i = 0; i < N; i++) K[i * N + i]! += shift;
  return solve(X.tensor(K, [N, N]), X.tensor(W)).data;
}

const flatUpdate = (u: X.PyTree) => {
  const l = (u as DenseLayer[])[0]!;
  return Float64Array.from([...l.w.data, ...(l.b ? l.b.data : [])]);
};

describe("kfac", () => {
  it("batch of one: the direction is the exact damped natural-gradient solve (A ⊗ G + λI)⁻¹∇ (dense solve)", () => {
    fc.assert(
      fc.property(arbLayer(1, 1), (c) => {
        const { dA, A, G, W, grads, extra } = layerCase(c);
        const opt = kfac({ learningRate: 0.7, damping: c.lam, dampingMode: "exact" });
        const params = [{ w: X.zeros([c.din, c.dout]), ...(c.bias ? { b: X.zeros([c.dout]) } : {}) }];
        const r = opt.update(grads, opt.init(params), params, extra);
        const want = denseKronSolve(A, G, dA, c.dout, c.lam, W).map((v) => -0.7 * v);
        const scale = Math.max(1, ...Array.from(want, Math.abs));
        expect(maxAbsDiff(flatUpdate(r.updates), want)).toBeLessThan(1e-9 * scale);
      }),
    );
  });

  it("π-damping applies ((A + π√λI) ⊗ (G + √λ/π I))⁻¹ for any batch (dense solve)", () => {
    fc.assert(
      fc.property(arbLayer(1, 6), (c) => {
        const { dA, A, G, W, grads, extra } = layerCase(c);
        const opt = kfac({ learningRate: 1, damping: c.lam });
        const params = [{ w: X.zeros([c.din, c.dout]), ...(c.bias ? { b: X.zeros([c.dout]) } : {}) }];
        const r = opt.update(grads, opt.init(params), params, extra);
        let ta = 0;
        let tg = 0;
        for (let i = 0; i < dA; i++) ta += A[i * dA + i]! / dA;
        for (let i = 0; i < c.dout; i++) tg += G[i * c.dout + i]! / c.dout;
        const pi = ta > 0 && tg > 0 ? Math.min(1e8, Math.max(1e-8, Math.sqrt(ta / tg))) : 1;
        const s = Math.sqrt(c.lam);
        const Ad = A.map((v, i) => (i % (dA + 1) === 0 ? v + pi * s : v));
        const Gd = G.map((v, i) => (i % (c.dout + 1) === 0 ? v + s / pi : v));
        const want = denseKronSolve(Ad, Gd, dA, c.dout, 0, W).map((v) => -v);
        const scale = Math.max(1, ...Array.from(want, Math.abs));
        expect(maxAbsDiff(flatUpdate(r.updates), want)).toBeLessThan(1e-8 * scale);
      }),
    );
  });

  it("is invariant to an invertible affine reparametrisation of the inputs as damping → 0", () => {
    fc.assert(
      fc.property(
        arbLayer(12, 16),
        fc.array(fc.double({ min: -0.4, max: 0.4, noNaN: true }), { minLength: 16, maxLength: 16 }),
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 4, maxLength: 4 }),
        (c0, mv, cv) => {
          // Keep A and G well conditioned (invariance needs them invertible): small noise plus 8·e_r on row r.
          const c: Case = {
            ...c0,
            a: c0.a.map((v, k) => v / 4 + (Math.floor(k / c0.din) === k % c0.din ? 8 : 0)),
            g: c0.g.map((v, k) => v / 4 + (Math.floor(k / c0.dout) === k % c0.dout ? 8 : 0)),
          };
          const d = c.din;
          // a' = M a + shift (M = I + small random, well conditioned); with a bias the shift is absorbed.
          const M = (i: number, j: number) => (i === j ? 1 : 0) + mv[i * 4 + j]!;
          const shift = c.bias ? cv : [0, 0, 0, 0];
          const a2 = new Array<number>(c.B * d);
          for (let r = 0; r < c.B; r++)
            for (let i = 0; i < d; i++) {
              let s = shift[i]!;
              for (let j = 0; j < d; j++) s += M(i, j) * c.a[r * d + j]!;
              a2[r * d + i] = s;
            }
          const run = (cc: Case) => {
            const { grads, extra } = layerCase(cc);
            const opt = kfac({ learningRate: 1, damping: 1e-20 });
            const params = [{ w: X.zeros([cc.din, cc.dout]), ...(cc.bias ? { b: X.zeros([cc.dout]) } : {}) }];
            return (opt.update(grads, opt.init(params), params, extra).updates as DenseLayer[])[0]!;
          };
          const u1 = run(c);
          const u2 = run({ ...c, a: a2 });
          // The change of the layer's output must agree: Δs = a ΔW + Δb = a' ΔW' + Δb' for every example.
          const out = (a: number[], u: DenseLayer) => {
            const o: number[] = [];
            for (let r = 0; r < c.B; r++)
              for (let j = 0; j < c.dout; j++) {
                let s = u.b ? u.b.data[j]! : 0;
                for (let i = 0; i < d; i++) s += a[r * d + i]! * u.w.data[i * c.dout + j]!;
                o.push(s);
              }
            return o;
          };
          const o1 = out(c.a, u1);
          const o2 = out(a2, u2);
          const scale = Math.max(1, ...o1.map(Math.abs));
          expect(maxAbsDiff(o1, o2)).toBeLessThan(1e-6 * scale);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("keeps EMA factors and reuses the eigendecompositions between invEvery refreshes", () => {
    const c: Case = {
      din: 2,
      dout: 2,
      B: 3,
      a: [1, 2, -1, 0.5, 0, 1],
      g: [0.3, -1, 2, 1, 0.5, 0.5],
      bias: true,
      lam: 0.1,
    };
    const c2: Case = { ...c, a: [0, 1, 2, -1, 1, 1], g: [1, 1, -0.5, 0.2, 0.1, 2] };
    const opt = kfac({ learningRate: 1, damping: 0.1, emaDecay: 0.9, invEvery: 2 });
    const params = [{ w: X.zeros([2, 2]), b: X.zeros([2]) }];
    const l1 = layerCase(c);
    const l2 = layerCase(c2);
    const s0 = opt.init(params);
    const r1 = opt.update(l1.grads, s0, params, l1.extra);
    const r2 = opt.update(l2.grads, r1.state, params, l2.extra);
    const r3 = opt.update(l2.grads, r2.state, params, l2.extra);
    const st1 = r1.state.layers[0]!;
    const st2 = r2.state.layers[0]!;
    expect(
      maxAbsDiff(
        st2.A,
        st1.A.map((v, i) => 0.9 * v + 0.1 * l2.A[i]!),
      ),
    ).toBeLessThan(1e-14);
    expect(
      maxAbsDiff(
        st2.G,
        st1.G.map((v, i) => 0.9 * v + 0.1 * l2.G[i]!),
      ),
    ).toBeLessThan(1e-14);
    expect(st2.eigA).toBe(st1.eigA); // step 2 reuses step 1's inverse
    expect(r3.state.layers[0]!.eigA).not.toBe(st1.eigA); // step 3 refreshes
  });

  it("mlpKfacStats: gradients equal autodiff's and ∇W̄ = (1/B) Σ ā gᵀ per layer", () => {
    const [k1, k2, k3, k4] = X.split(X.rng(3), 4) as [X.Key, X.Key, X.Key, X.Key];
    const params: DenseLayer[] = [
      { w: X.mul(0.5, X.normal(k1, [3, 5])), b: X.mul(0.1, X.normal(k2, [5])) },
      { w: X.mul(0.5, X.normal(k3, [5, 2])) },
    ];
    const x = X.normal(k4, [7, 3]);
    const y = X.normal(X.foldIn(k4, 1), [7, 2]);
    const st = mlpKfacStats(params, x, y);
    const loss = (ps: DenseLayer[]) => X.mul(0.5 / 7, X.sum(X.square(X.sub(mlpForward(ps, x), y))));
    const [v, g] = X.valueAndGrad(loss)(params) as [X.Tensor, DenseLayer[]];
    expect(Math.abs(st.value - v.data[0]!)).toBeLessThan(1e-13);
    st.grads.forEach((l, i) => {
      expect(maxAbsDiff(l.w.data, g[i]!.w.data)).toBeLessThan(1e-13);
      const a = st.layers[i]!.a as X.Tensor;
      const gg = st.layers[i]!.g as X.Tensor;
      const W = X.mul(1 / 7, X.matmul(X.transpose(a), gg));
      expect(maxAbsDiff(W.data, l.w.data)).toBeLessThan(1e-13);
      if (l.b) expect(maxAbsDiff(X.mul(1 / 7, X.sum(gg, { axis: 0 })).data, l.b.data)).toBeLessThan(1e-13);
    });
  });

  it("trains a small MLP regression to a lower loss than SGD (best of a learning-rate grid) in 60 steps (seeded)", () => {
    const key = X.rng(11);
    const [kx, kw1, kw2] = X.split(key, 3) as [X.Key, X.Key, X.Key];
    const x = X.uniform(kx, [64, 2], -2, 2);
    const xd = x.data;
    const y = X.tensor(
      Array.from({ length: 64 }, (_, r) => Math.sin(xd[2 * r]!) * Math.cos(xd[2 * r + 1]!)),
      [64, 1],
    );
    const init: DenseLayer[] = [
      { w: X.mul(0.5, X.normal(kw1, [2, 16])), b: X.zeros([16]) },
      { w: X.mul(0.25, X.normal(kw2, [16, 1])), b: X.zeros([1]) },
    ];
    const steps = 60;
    const train = (
      opt: { init: (p: X.PyTree) => unknown; update: (...a: any[]) => { updates: X.PyTree; state: any } },
      sampledFisher = false,
    ) => {
      let p: X.PyTree = init;
      let s = opt.init(p);
      for (let k = 0; k < steps; k++) {
        // K-FAC's G from g = Jᵀε, ε ~ N(0, I): the model's Fisher (Gauss–Newton for MSE), not the empirical one.
        const st = mlpKfacStats(p as DenseLayer[], x, y, sampledFisher ? { fisherKey: X.foldIn(key, k) } : {});
        const r = opt.update(st.grads, s, p, { layers: st.layers });
        p = applyUpdates(p, r.updates);
        s = r.state;
      }
      return mlpKfacStats(p as DenseLayer[], x, y).value;
    };
    const sgdBest = Math.min(...[0.03, 0.1, 0.3, 1].map((lr) => train(sgd({ learningRate: lr, momentum: 0.9 }))));
    const k = train(kfac({ learningRate: 0.3, damping: 1e-3, klClip: 1e-3 }), true);
    const l0 = mlpKfacStats(init, x, y).value;
    expect(k).toBeLessThan(0.5 * sgdBest);
    expect(k).toBeLessThan(0.01 * l0);
  });

  it("rejects bad options and inputs with typed errors naming the argument", () => {
    expect(() => kfac({ learningRate: 0 })).toThrow(/learningRate/);
    expect(() => kfac({ learningRate: 1, damping: 0 })).toThrow(/damping/);
    expect(() => kfac({ learningRate: 1, emaDecay: 1 })).toThrow(/emaDecay/);
    expect(() => kfac({ learningRate: 1, invEvery: 0 })).toThrow(/invEvery/);
    expect(() => kfac({ learningRate: 1, klClip: -1 })).toThrow(/klClip/);
    expect(() => kfac({ learningRate: 1, dampingMode: "x" as "pi" })).toThrow(/dampingMode/);
    const opt = kfac({ learningRate: 1 });
    expect(() => opt.init({ w: X.zeros([2, 2]) })).toThrow(/array of dense layers/);
    expect(() => opt.init([{ w: X.zeros([2]) }])).toThrow(X.ShapeError);
    const params = [{ w: X.zeros([2, 3]) }];
    const s = opt.init(params);
    expect(() => opt.update(params, s, params)).toThrow(/extra.layers/);
    expect(() => opt.update(params, s, params, { layers: [{ a: X.zeros([4, 3]), g: X.zeros([4, 3]) }] })).toThrow(
      /layers\[0\]\.a/,
    );
    expect(() => opt.update(params, s, params, { layers: [{ a: X.zeros([4, 2]), g: X.zeros([5, 3]) }] })).toThrow(
      /rows/,
    );
    expect(() => mlpKfacStats(params, X.zeros([4, 3]), X.zeros([4, 3]))).toThrow(/params\[0\]\.w/);
  });
});
