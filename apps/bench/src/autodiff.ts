// Autodiff cost ratios on an MLP loss: gradient / forward and HVP / gradient (targets ≤ 4 and ≤ 3), and
// the per-op overhead case: chained Rosenbrock on n = 10 and 1000 (a dozen elementwise ops on vectors,
// where tape, dispatch and allocation cost more than the flops), against the hand-written gradient.
import * as X from "@x/tensor";
import { rosen, rosenVg } from "@x/test-utils/problems";
import { timeIt } from "./timing.js";

export interface AutodiffRow {
  case: string;
  forward_ms: number;
  grad_ms: number;
  hvp_ms: number;
  grad_over_forward: number;
  hvp_over_grad: number;
}

// Tiny calls: many short timing batches, so a busy second core or a GC pause does not decide the median.
const quick = { minRuns: 30, budgetMs: 1000, warmup: 3, warmupMs: 300 };

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
  const vg = X.valueAndGrad(rosen);
  for (const n of [10, 1000]) {
    const [k1, k2] = X.split(X.rng(2), 2) as X.Key[];
    const x = X.add(X.normal(k1!, [n], 0, 0.1), 1);
    const v = X.normal(k2!, [n]);
    // Loop the tiny calls so one timed sample is well above the timer's resolution.
    const reps = Math.ceil(2000 / n);
    const per = (fn: () => unknown) =>
      timeIt(() => {
        for (let i = 0; i < reps; i++) fn();
      }, quick) / reps;
    const forward = per(() => rosen(x));
    const gradT = per(() => vg(x));
    // scipy.optimize.rosen_der as one loop: the cost an autodiff gradient is compared with.
    const analytic = per(() => rosenVg(x));
    const hvpT = per(() => X.hvp(rosen, x, v));
    const row = {
      case: `chained Rosenbrock n=${n}: valueAndGrad ${(gradT / analytic).toFixed(0)}× the rosen_der loop`,
      forward_ms: forward * 1e3,
      grad_ms: gradT * 1e3,
      hvp_ms: hvpT * 1e3,
      grad_over_forward: gradT / forward,
      hvp_over_grad: hvpT / gradT,
    };
    log(
      `  chained Rosenbrock n=${n}: forward ${(forward * 1e6).toFixed(1)} µs, valueAndGrad ${(gradT * 1e6).toFixed(1)} µs ` +
        `(${(gradT / analytic).toFixed(1)}× the analytic loop), hvp ${(hvpT * 1e6).toFixed(1)} µs`,
    );
    rows.push(row);
  }
  return rows;
}
