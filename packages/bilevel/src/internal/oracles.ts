// First- and second-order oracles of a bilevel problem, by @x/tensor autodiff. Stochastic methods call
// f and g with the iteration index k as a third argument, so a problem may return minibatch estimates.
import { grad, mul, sum, type Tensor, ValueError, vjp } from "@x/tensor";

export type Objective = (x: Tensor, lambda: Tensor, k?: number) => Tensor;

export interface Oracles {
  gxG: (x: Tensor, l: Tensor, k: number) => Tensor;
  gxF: (x: Tensor, l: Tensor, k: number) => Tensor;
  glF: (x: Tensor, l: Tensor, k: number) => Tensor;
  glG: (x: Tensor, l: Tensor, k: number) => Tensor;
  /** ∇²ₓₓg · v. */
  hxx: (x: Tensor, l: Tensor, v: Tensor, k: number) => Tensor;
  /** ∇²_λx g · v = ∇λ⟨∇ₓg, v⟩. */
  hlx: (x: Tensor, l: Tensor, v: Tensor, k: number) => Tensor;
}

/** Oracles of f and g (objects with f and g, e.g. minibatch-sampled ones). */
export function oracles({ f, g }: { f: Objective; g: Objective }): Oracles {
  const gx = (fn: Objective) => (x: Tensor, l: Tensor, k: number) => grad((z: Tensor) => fn(z, l, k))(x) as Tensor;
  const gl = (fn: Objective) => (x: Tensor, l: Tensor, k: number) => grad((m: Tensor) => fn(x, m, k))(l) as Tensor;
  const gxG = gx(g);
  return {
    gxG,
    gxF: gx(f),
    glF: gl(f),
    glG: gl(g),
    hxx: (x, l, v, k) => vjp((z: Tensor) => gxG(z, l, k), x)[1](v)[0] as Tensor,
    hlx: (x, l, v, k) => grad((m: Tensor) => sum(mul(gxG(x, m, k), v)))(l) as Tensor,
  };
}

export function checkPositive(v: number, name: string, fn: string): void {
  if (!(v > 0) || !Number.isFinite(v)) throw new ValueError(`${fn}: ${name} must be a finite number > 0, got ${v}`);
}

export function checkCount(v: number, name: string, fn: string, min = 1): void {
  if (!Number.isInteger(v) || v < min) throw new ValueError(`${fn}: ${name} must be an integer ≥ ${min}, got ${v}`);
}
