import { applyUpdates, type DenseLayer, kfac, minimize, mlpKfacStats, sgd, stabilityReport } from "@x/second-order";
import * as X from "@x/tensor";

const e = (v: number) => v.toExponential(2);

// Chained Rosenbrock Σ 100(x_{i+1} − x_i²)² + (1 − x_i)².
const rosen = (x: X.Tensor) => {
  const a = X.slice(x, [[0, x.size - 1]]);
  const b = X.slice(x, [[1, x.size]]);
  return X.sum(X.add(X.mul(100, X.square(X.sub(b, X.square(a)))), X.square(X.sub(1, a))));
};

export const secondOrderSection = {
  title: "@x/second-order — L-BFGS / Newton-CG / trust region / ARC, K-FAC, Hessian diagnostics (edge of stability)",
  run(): string[] {
    const out: string[] = [];
    const x0 = X.tensor(Array.from({ length: 50 }, (_, i) => (i % 2 ? 1 : -1.2)));
    for (const method of ["lbfgs", "trust-ncg"] as const) {
      const r = minimize(rosen, x0, { method, tol: 1e-9 });
      const err = Math.max(...Array.from((r.x as X.Tensor).data, (v) => Math.abs(v - 1)));
      out.push(
        `${method.padEnd(9)} on 50-d Rosenbrock: converged=${r.converged} iterations=${r.iterations} nfev=${r.nfev} nhev=${r.nhev} f=${e(r.fun)} |x−1|∞=${e(err)}`,
      );
    }
    // ARC with lazy Hessians (Doikov, Chayti & Jaggi 2023): one Hessian per m accepted steps.
    for (const lazyHessian of [1, 4]) {
      const r = minimize(rosen, X.tensor([-1.2, 1, -1.2, 1]), { method: "arc", lazyHessian, tol: 1e-9 });
      out.push(
        `arc (lazyHessian ${lazyHessian}) on 4-d Rosenbrock: converged=${r.converged} iterations=${r.iterations} Hessians=${r.nhev} f=${e(r.fun)}`,
      );
    }
    // K-FAC vs SGD (momentum 0.9) on a 2→16→1 tanh MLP regression, 60 full-batch steps each.
    {
      const [kx, kw1, kw2, kf] = X.split(X.rng(11), 4) as [X.Key, X.Key, X.Key, X.Key];
      const x = X.uniform(kx, [64, 2], -2, 2);
      const y = X.mul(
        X.sin(
          X.slice(x, [
            [0, 64],
            [0, 1],
          ]),
        ),
        X.cos(
          X.slice(x, [
            [0, 64],
            [1, 2],
          ]),
        ),
      );
      const init: DenseLayer[] = [
        { w: X.mul(0.5, X.normal(kw1, [2, 16])), b: X.zeros([16]) },
        { w: X.mul(0.25, X.normal(kw2, [16, 1])), b: X.zeros([1]) },
      ];
      const train = (opt: ReturnType<typeof kfac> | ReturnType<typeof sgd>, sampled: boolean) => {
        let p = init as DenseLayer[];
        let st: any = opt.init(p);
        for (let k = 0; k < 60; k++) {
          const s = mlpKfacStats(p, x, y, sampled ? { fisherKey: X.foldIn(kf, k) } : {});
          const r = (opt as any).update(s.grads, st, p, { layers: s.layers });
          p = applyUpdates(p, r.updates) as DenseLayer[];
          st = r.state;
        }
        return mlpKfacStats(p, x, y).value;
      };
      out.push(
        `MLP regression after 60 steps: SGD(η=0.1, momentum 0.9) loss ${e(train(sgd({ learningRate: 0.1, momentum: 0.9 }), false))}, K-FAC(η=0.3, λ=1e-3, KL clip 1e-3) loss ${e(train(kfac({ learningRate: 0.3, damping: 1e-3, klClip: 1e-3 }), true))}`,
      );
    }
    // Tiny MLP (2→8→1, tanh) regression trained by full-batch GD at η = 0.2; track sharpness λ_max vs 2/η.
    const key = X.rng(7);
    const [k1, k2, k3] = X.split(key, 3) as [X.Key, X.Key, X.Key];
    const xs = X.normal(k1, [32, 2]);
    const ys = X.sin(X.mul(2, X.sum(xs, { axis: 1, keepDims: true })));
    let params = { w1: X.mul(0.8, X.normal(k2, [2, 8])), w2: X.mul(0.8, X.normal(k3, [8, 1])) };
    const loss = (p: { w1: X.Tensor; w2: X.Tensor }) =>
      X.mean(X.square(X.sub(X.matmul(X.tanh(X.matmul(xs, p.w1)), p.w2), ys)));
    const eta = 0.2;
    const vg = X.valueAndGrad(loss);
    for (let step = 0; step <= 300; step++) {
      if (step % 100 === 0) {
        const rep = stabilityReport(loss, params, { learningRate: eta, seed: 1 });
        out.push(
          `MLP step ${String(step).padStart(3)}: loss ${e(loss(params).item())}  λ_max ${rep.lambdaMax.toFixed(3)} vs 2/η = ${rep.threshold}  (ηλ/2 = ${rep.sharpnessRatio.toFixed(3)}, GD stable: ${rep.gdStable})  tr H ≈ ${rep.trace.toFixed(3)}`,
        );
      }
      const [, g] = vg(params) as [X.Tensor, { w1: X.Tensor; w2: X.Tensor }];
      params = { w1: X.sub(params.w1, X.mul(eta, g.w1)), w2: X.sub(params.w2, X.mul(eta, g.w2)) };
    }
    return out;
  },
};
