// Autodiff cost ratios on an MLP loss: gradient / forward and HVP / gradient (targets ≤ 4 and ≤ 3).
import * as X from "@x/tensor";
import { timeIt } from "./timing.js";

export interface AutodiffRow {
  case: string;
  forward_ms: number;
  grad_ms: number;
  hvp_ms: number;
  grad_over_forward: number;
  hvp_over_grad: number;
}

export function benchAutodiff(log: (s: string) => void): AutodiffRow[] {
  const rows: AutodiffRow[] = [];
  for (const [batch, width] of [
    [256, 64],
    [512, 256],
  ] as const) {
    const [k1, k2, k3, k4, k5] = X.split(X.rng(1), 5) as X.Key[];
    const data = X.normal(k1!, [batch, 32]);
    const target = X.normal(k2!, [batch, 1]);
    const w2 = X.normal(k3!, [width, 1], 0, 0.1);
    const loss = (w1: X.Tensor) => X.mean(X.square(X.sub(X.matmul(X.tanh(X.matmul(data, w1)), w2), target)));
    const w1 = X.normal(k4!, [32, width], 0, 0.1);
    const v = X.normal(k5!, [32, width]);
    const g = X.grad(loss);
    const forward = timeIt(() => loss(w1));
    const gradT = timeIt(() => g(w1));
    const hvpT = timeIt(() => X.hvp(loss, w1, v));
    const row = {
      case: `MLP 32-${width}-1, batch ${batch}`,
      forward_ms: forward * 1e3,
      grad_ms: gradT * 1e3,
      hvp_ms: hvpT * 1e3,
      grad_over_forward: gradT / forward,
      hvp_over_grad: hvpT / gradT,
    };
    log(`  ${row.case}: grad/forward ${row.grad_over_forward.toFixed(2)}, hvp/grad ${row.hvp_over_grad.toFixed(2)}`);
    rows.push(row);
  }
  return rows;
}
