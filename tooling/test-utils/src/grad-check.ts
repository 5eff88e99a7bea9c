// Derivative checks: central differences against grad, and the adjoint identity ⟨u, J v⟩ = ⟨Jᵀ u, v⟩
// between forward and reverse mode. Both are oracles independent of any single rule.
import { asTensor, grad, jvp, normal, rng, split, type Tensor, type TensorLike, tensor, vjp } from "@x/tensor";

export interface GradCheckOptions {
  /** Finite-difference step (default 1e-6·max(1,|x|) for float64). */
  eps?: number;
  rtol?: number;
  atol?: number;
  /** Seed for the random directions. */
  seed?: number;
  /** Number of random directions checked (in addition to coordinate checks when x is small). */
  directions?: number;
}

export interface GradCheckResult {
  ok: boolean;
  maxError: number;
  details: string;
}

const inner = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

/**
 * Compares ∇f(x) with central differences of a scalar f: along every coordinate when x has ≤ 64
 * entries, and along random directions. Returns a result rather than throwing, so tests can report.
 */
export function gradCheck(f: (x: Tensor) => Tensor, xIn: TensorLike, opts: GradCheckOptions = {}): GradCheckResult {
  const x = asTensor(xIn);
  const { rtol = 1e-5, atol = 1e-7, seed = 0, directions = 3 } = opts;
  const g = (grad(f)(x) as Tensor).data;
  const xs = x.data;
  const scale = Math.max(1, ...Array.from(xs, Math.abs));
  const eps = opts.eps ?? 1e-6 * scale;
  const fd = (dir: ArrayLike<number>) => {
    const p = new Float64Array(xs.length);
    const m = new Float64Array(xs.length);
    for (let i = 0; i < xs.length; i++) {
      p[i] = xs[i]! + eps * dir[i]!;
      m[i] = xs[i]! - eps * dir[i]!;
    }
    return (f(tensor(p, x.shape)).item() - f(tensor(m, x.shape)).item()) / (2 * eps);
  };
  let maxError = 0;
  const bad: string[] = [];
  const test = (dir: ArrayLike<number>, label: string) => {
    const numeric = fd(dir);
    const analytic = inner(g, dir);
    const err = Math.abs(numeric - analytic);
    maxError = Math.max(maxError, err);
    if (!(err <= atol + rtol * Math.max(Math.abs(numeric), Math.abs(analytic)))) {
      bad.push(`${label}: autodiff ${analytic}, finite difference ${numeric}`);
    }
  };
  if (xs.length <= 64) {
    for (let i = 0; i < xs.length; i++) {
      const e = new Float64Array(xs.length);
      e[i] = 1;
      test(e, `coordinate ${i}`);
    }
  }
  const keys = split(rng(seed), directions);
  keys.forEach((k, j) => test(normal(k, [xs.length]).data, `random direction ${j}`));
  return { ok: bad.length === 0, maxError, details: bad.slice(0, 5).join("; ") };
}

/**
 * The adjoint identity ⟨u, J v⟩ = ⟨Jᵀ u, v⟩ for f at x, with random u, v: checks that an op's JVP
 * and VJP rules describe the same linear map. Returns the two sides.
 */
export function adjointCheck(f: (x: Tensor) => Tensor, xIn: TensorLike, seed = 0): { lhs: number; rhs: number } {
  const x = asTensor(xIn);
  const [k1, k2] = split(rng(seed), 2) as [ReturnType<typeof rng>, ReturnType<typeof rng>];
  const v = normal(k1, [...x.shape]);
  const [y, jv] = jvp(f, [x], [v]) as [Tensor, Tensor];
  const u = normal(k2, [...y.shape]);
  const [, pullback] = vjp(f, x);
  const jtu = pullback(u)[0] as Tensor;
  return { lhs: inner(u.data, jv.data), rhs: inner(jtu.data, v.data) };
}
