// Derivative checks shared by the dense and matrix-function gradient tests: a fixed non-symmetric weighting that
// turns a matrix output into a scalar, gradCheck + adjoint identity, and HVP against differences of the gradient.
import { add, eye, grad, hvp, mT, mul, sum, type Tensor, tensor } from "@x/tensor";
import { adjointCheck, close, expectClose, gradCheck } from "@x/test-utils";

/** A fixed non-symmetric weight, so that scalarizations do not hide wrong (e.g. transposed) gradients. */
export const weight = (shape: number[]): Tensor =>
  tensor(
    Array.from({ length: shape.reduce((p, d) => p * d, 1) }, (_, i) => Math.sin(1.3 * i + 0.7)),
    shape,
  );

/** sum(W ∘ y) with W = weight(y.shape). */
export const wsum = (y: Tensor): Tensor => sum(mul(y, weight([...y.shape])));

/** Symmetric part: the derivative rules act on symmetric perturbations, finite differences must too. */
export const symm = (x: Tensor): Tensor => mul(0.5, add(x, mT(x)));

/** diag(d) as a tensor. */
export const diagOf = (d: number[]): Tensor => mul(tensor([d]), eye(d.length));

/** Reverse mode vs central differences (gradCheck), and forward vs reverse (⟨u, J v⟩ = ⟨Jᵀu, v⟩). */
export function expectGrad(f: (x: Tensor) => Tensor, x: Tensor, label: string): void {
  const r = gradCheck(f, x, { rtol: 1e-5, atol: 1e-7 });
  if (!r.ok) throw new Error(`${label}: ${r.details}`);
  const { lhs, rhs } = adjointCheck(f, x, 3);
  if (!close(lhs, rhs, { rtol: 1e-9, atol: 1e-10 })) throw new Error(`${label}: adjoint ${lhs} vs ${rhs}`);
}

/** HVP by forward-over-reverse vs central differences of the gradient. */
export function expectHvp(f: (x: Tensor) => Tensor, x: Tensor, v: Tensor, label: string): void {
  const h = hvp(f, x, v) as Tensor;
  const eps = 1e-5;
  const g = (s: number) => grad(f)(add(x, mul(s, v))) as Tensor;
  const gp = g(eps).data;
  const gm = g(-eps).data;
  const fd = tensor(
    Array.from(gp, (p, i) => (p - gm[i]!) / (2 * eps)),
    [...x.shape],
  );
  expectClose(h, fd, { rtol: 1e-5, atol: 1e-6 }, label);
}
