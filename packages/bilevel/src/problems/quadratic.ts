// A quadratic bilevel problem with a closed-form hypergradient (the toy problem of Ghadimi & Wang 2018
// and of the BO-REP/SOBA experiments):  g(x, λ) = ½ xᵀHx − xᵀBλ,  f(x, λ) = ½‖x − c‖² + ½ρ‖λ‖².
// x*(λ) = H⁻¹Bλ, ∇F(λ) = BᵀH⁻¹(x* − c) + ρλ, and F is a strongly convex quadratic in λ with minimiser
// λ* = (BᵀH⁻²B + ρI)⁻¹ BᵀH⁻¹c.
import { solve } from "@x/linalg";
import {
  add,
  asTensor,
  eye,
  matmul,
  mul,
  normal,
  rng,
  split,
  square,
  sub,
  sum,
  type Tensor,
  type TensorLike,
  transpose,
  ValueError,
  zeros,
} from "@x/tensor";
import type { BilevelProblem } from "./types.js";

export interface QuadraticBilevelOptions {
  /** Inner dimension (default 5). */
  n?: number;
  /** Outer dimension (default 3). */
  m?: number;
  /** Outer regularisation ρ (default 0.1). */
  rho?: number;
  /** Smallest eigenvalue of H (default 1; H = μI + AᵀA/n). */
  mu?: number;
  seed?: number;
}

export interface QuadraticBilevelProblem extends BilevelProblem {
  H: Tensor;
  B: Tensor;
  c: Tensor;
  rho: number;
  /** x*(λ), F(λ) and ∇F(λ) in closed form. */
  closedForm(lambda: TensorLike): { x: Tensor; value: number; grad: Tensor };
  /** The minimiser of F and its value. */
  solution(): { lambda: Tensor; value: number };
}

export function quadraticBilevel(options: QuadraticBilevelOptions = {}): QuadraticBilevelProblem {
  const { n = 5, m = 3, rho = 0.1, mu = 1, seed = 0 } = options;
  if (!Number.isInteger(n) || n < 1) throw new ValueError(`quadraticBilevel: n must be a positive integer, got ${n}`);
  if (!Number.isInteger(m) || m < 1) throw new ValueError(`quadraticBilevel: m must be a positive integer, got ${m}`);
  if (!(rho > 0)) throw new ValueError(`quadraticBilevel: rho must be > 0, got ${rho}`);
  if (!(mu > 0)) throw new ValueError(`quadraticBilevel: mu must be > 0, got ${mu}`);
  const [ka, kb, kc] = split(rng(seed), 3) as [ReturnType<typeof rng>, ReturnType<typeof rng>, ReturnType<typeof rng>];
  const A = normal(ka, [n, n]);
  const H = add(mul(mu, eye(n)), mul(1 / n, matmul(transpose(A), A)));
  const B = normal(kb, [n, m]);
  const c = normal(kc, [n]);
  const outer = (x: Tensor, lam: Tensor) => add(mul(0.5, sum(square(sub(x, c)))), mul(0.5 * rho, sum(square(lam))));
  const closedForm = (lambdaIn: TensorLike) => {
    const lam = asTensor(lambdaIn, "lambda");
    const x = solve(H, matmul(B, lam));
    const grad = add(matmul(solve(H, sub(x, c)), B), mul(rho, lam));
    return { x, value: outer(x, lam).item(), grad };
  };
  let tr = 0;
  for (let i = 0; i < n; i++) tr += H.data[i * n + i]!;
  return {
    name: "quadratic",
    inner: (x, lam) => sub(mul(0.5, sum(mul(x, matmul(H, x)))), sum(mul(x, matmul(B, lam)))),
    outer,
    x0: zeros([n]),
    lambda0: zeros([m]),
    innerLipschitz: tr,
    H,
    B,
    c,
    rho,
    closedForm,
    solution: () => {
      const HiB = solve(H, B);
      const M = add(matmul(transpose(HiB), HiB), mul(rho, eye(m)));
      const lam = solve(M, matmul(solve(H, c), B));
      return { lambda: lam, value: closedForm(lam).value };
    },
  };
}
