import * as X from "@x/tensor";

const fmt = (v: number) => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(6) : v.toFixed(6));
const vec = (t: X.Tensor) => `[${Array.from(t.data, fmt).join(", ")}]`;

export const tensorSection = {
  title: "@x/tensor — float64 tensors and nestable autodiff",
  run(): string[] {
    const out: string[] = [];
    out.push(`backend: ${X.getBackend().describe?.() ?? X.getBackend().name}`);

    // Rosenbrock: gradient, Hessian (forward-over-reverse) and its eigenvalues at the minimum.
    const rosen = (p: X.Tensor) => {
      const x = X.slice(p, [[0, 1]]);
      const y = X.slice(p, [[1, 2]]);
      return X.sum(X.add(X.square(X.sub(1, x)), X.mul(100, X.square(X.sub(y, X.square(x))))));
    };
    const p = X.tensor([-1.2, 1]);
    out.push(`Rosenbrock f(-1.2, 1) = ${fmt(rosen(p).item())}, ∇f = ${vec(X.grad(rosen)(p) as X.Tensor)}`);
    const h = X.hessian(rosen)(X.tensor([1, 1])).data;
    const mid = (h[0]! + h[3]!) / 2;
    const rad = Math.sqrt(((h[0]! - h[3]!) / 2) ** 2 + h[1]! ** 2);
    out.push(`Hessian at (1,1) = [[${fmt(h[0]!)}, ${fmt(h[1]!)}], [${fmt(h[2]!)}, ${fmt(h[3]!)}]]`);
    out.push(`  eigenvalues ${fmt(mid - rad)}, ${fmt(mid + rad)}  (reference 0.399361, 1001.600639)`);

    // A tiny MLP: loss, gradient norm, and an HVP checked against finite differences of the gradient.
    const [k1, k2, k3, k4] = X.split(X.rng(0), 4) as [X.Key, X.Key, X.Key, X.Key];
    const data = X.normal(k1, [64, 4]);
    const target = X.sin(X.sum(data, { axis: 1, keepDims: true }));
    const params = {
      w1: X.normal(k2, [4, 16], 0, 0.5),
      b1: X.zeros([16]),
      w2: X.normal(k3, [16, 1], 0, 0.5),
    };
    type P = typeof params;
    const loss = (q: P) => X.mean(X.square(X.sub(X.matmul(X.tanh(X.add(X.matmul(data, q.w1), q.b1)), q.w2), target)));
    const [value, g] = X.valueAndGrad(loss)(params) as [X.Tensor, P];
    const gnorm = Math.sqrt(X.treeLeaves(g).reduce((s, t) => s + X.sum(X.square(t)).item(), 0));
    out.push(`MLP 4-16-1 on 64 points: loss ${fmt(value.item())}, ‖∇loss‖ ${fmt(gnorm)}`);
    const flatLoss = (w1: X.Tensor) => loss({ ...params, w1 });
    const v = X.normal(k4, [4, 16]);
    const hv = X.hvp(flatLoss, params.w1, v) as X.Tensor;
    const eps = 1e-5;
    const gw = X.grad(flatLoss);
    const fd = X.div(X.sub(gw(X.add(params.w1, X.mul(v, eps))), gw(X.sub(params.w1, X.mul(v, eps)))), 2 * eps);
    const rel = X.norm(X.sub(hv, fd)).item() / X.norm(fd).item();
    out.push(`  HVP vs finite differences of ∇: relative difference ${fmt(rel)}`);

    // Special functions in log space, where the plain values overflow.
    out.push(`log I_0(1000) = ${fmt(X.logBesselI(0, 1000).item())}   (I_0(1000) ≈ 2.5e432 overflows float64)`);
    out.push(
      `lgamma(200) = ${fmt(X.lgamma(200).item())}, logsumexp([1000, 1000]) = ${fmt(X.logsumexp([1000, 1000]).item())}`,
    );

    // Seeded RNG: the same key gives the same numbers on every platform.
    out.push(`normal(rng(42), [3]) = ${vec(X.normal(X.rng(42), [3]))}`);
    return out;
  },
};
