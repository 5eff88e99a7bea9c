import * as B from "@x/bilevel";
import * as X from "@x/tensor";

const e = (v: number) => v.toExponential(2);

export const bilevelSection = {
  title: "@x/bilevel — hypergradients by implicit differentiation, bilevel solvers, minimax",
  run(): string[] {
    const out: string[] = [];
    // Ridge regression with a learnable log-regulariser λ: 60 noisy training rows, 40 validation rows.
    const [k1, k2, k3, k4, k5] = X.split(X.rng(7), 5) as [X.Key, X.Key, X.Key, X.Key, X.Key];
    const wTrue = X.normal(k1, [8]);
    const Xtr = X.normal(k2, [60, 8]);
    const Xv = X.normal(k3, [40, 8]);
    const ytr = X.add(X.matmul(Xtr, wTrue), X.mul(3, X.normal(k4, [60])));
    const yv = X.add(X.matmul(Xv, wTrue), X.mul(3, X.normal(k5, [40])));
    const p = B.ridgeProblem(Xtr, ytr, Xv, yv);
    out.push("tune ridge λ (α = e^λ) by hypergradient descent: implicit diff (L-BFGS inner + CG)");
    let lam = X.tensor(0.5);
    for (let k = 0; k <= 8; k++) {
      const r = B.hypergradient(p.outer, p.inner, lam, { x0: p.x0, method: "implicit" });
      const g = r.grad.item();
      out.push(
        `  step ${String(k).padStart(2)}: λ = ${lam.item().toFixed(4)}  val loss ${r.value.toFixed(4)}  dF/dλ ${e(g)}  (inner it ${r.innerResult.iterations}, CG it ${r.linearSolve.iterations}, closed form ${e(p.closedForm(lam).grad.item())})`,
      );
      // Gradient step on λ, at most 1 in size (F is flat for small α, curved near the optimum).
      lam = X.tensor(lam.item() - Math.max(-1, Math.min(1, 0.06 * g)));
    }
    const lam0 = X.tensor(0.5);
    const exact = p.closedForm(lam0).grad.item();
    for (const [name, opts] of [
      ["implicit (CG)", { method: "implicit" }],
      ["unrolled K=100", { method: "unrolled", innerSteps: 100 }],
      ["penalty σ=1e-4", { method: "penalty", sigma: 1e-4 }],
    ] as const) {
      const r = B.hypergradient(p.outer, p.inner, lam0, { x0: p.x0, ...opts });
      out.push(
        `  ${name.padEnd(16)} dF/dλ(0.5) = ${r.grad.item().toFixed(10)}  rel. error ${e(Math.abs(r.grad.item() - exact) / Math.abs(exact))}`,
      );
    }
    // Second derivative d²F/dλ² through the implicit solution (grad of grad), vs differences of the closed form.
    const root = B.customRoot(X.grad(p.inner), (_w: X.Tensor, l: X.Tensor) => p.closedForm(l).w, { tol: 1e-12 });
    const Fl = (l: X.Tensor) => p.outer(root(p.x0, l), l);
    const d2 = (X.grad(X.grad(Fl)) as (l: X.Tensor) => X.Tensor)(lam0).item();
    const fd2 = (p.closedForm(0.5 + 1e-4).grad.item() - p.closedForm(0.5 - 1e-4).grad.item()) / 2e-4;
    out.push(
      `  d²F/dλ²(0.5) by grad∘grad = ${d2.toFixed(8)}  (differences of the closed-form gradient ${fd2.toFixed(8)})`,
    );
    // SOBA with minibatch oracles (8 of 60 rows per oracle call): λ ends near the full-batch optimum.
    const sb = B.soba(p, { outerLr: 0.002, innerLr: 0.002, maxIter: 300, minibatch: { batchSize: 8, seed: 1 } });
    out.push(
      `  SOBA, minibatch 8/60, 300 steps: λ ${lam0.item()} → ${sb.lambda.item().toFixed(3)} (hypergradient descent above: ${lam.item().toFixed(3)})`,
    );
    // Sinkhorn layer: gradient of the transported cost w.r.t. the cost matrix by implicit differentiation.
    const M = X.tensor([
      [0, 1, 4],
      [1, 0, 1],
      [4, 1, 0],
    ]);
    const w = X.tensor([0.5, 0.3, 0.2]);
    const v = X.tensor([0.2, 0.3, 0.5]);
    const sk = B.sinkhornLayer(M, w, v, { reg: 0.5 });
    const gM = X.grad((m: X.Tensor) => B.sinkhornLayer(m, w, v, { reg: 0.5 }).cost)(M) as X.Tensor;
    out.push(
      `Sinkhorn layer (reg 0.5): ⟨P, M⟩ = ${sk.cost.item().toFixed(6)} after ${sk.iterations} sweeps; ∂⟨P,M⟩/∂M row 0 = [${Array.from(gM.data.subarray(0, 3), (x) => x.toFixed(4)).join(", ")}]`,
    );
    // Extragradient vs GDA on a bilinear game xᵀAy (saddle at 0).
    const A = X.tensor([
      [1, 0.5],
      [-0.3, 1],
    ]);
    const L = (x: X.Tensor, y: X.Tensor) => X.sum(X.mul(x, X.matmul(A, y)));
    const gda = B.gda(L, [1, 1], [1, -1], { lr: 0.3, maxIter: 100 });
    const eg = B.extragradient(L, [1, 1], [1, -1], { lr: 0.3, maxIter: 100 });
    out.push(
      `bilinear game, 100 steps: GDA ‖F‖ = ${e(gda.residual)} (diverging), extragradient ‖F‖ = ${e(eg.residual)}`,
    );
    return out;
  },
};
