// Test functions shared by the minimize tests (written with @x/tensor ops, differentiable).
import * as X from "@x/tensor";
import { rosen } from "@x/test-utils/problems";

export { rosen, rosenHessp, rosenVg } from "@x/test-utils/problems";

export function beale(p: X.Tensor): X.Tensor {
  const x = X.slice(p, [[0, 1]]);
  const y = X.slice(p, [[1, 2]]);
  const t = (c: number, k: number) => X.square(X.add(X.sub(c, x), X.mul(x, X.pow(y, k))));
  return X.sum(X.add(X.add(t(1.5, 1), t(2.25, 2)), t(2.625, 3)));
}

export function powell(p: X.Tensor): X.Tensor {
  const [a, b, c, d] = [0, 1, 2, 3].map((i) => X.slice(p, [[i, i + 1]])) as [X.Tensor, X.Tensor, X.Tensor, X.Tensor];
  return X.sum(
    X.add(
      X.add(X.square(X.add(a, X.mul(10, b))), X.mul(5, X.square(X.sub(c, d)))),
      X.add(X.pow(X.sub(b, X.mul(2, c)), 4), X.mul(10, X.pow(X.sub(a, d), 4))),
    ),
  );
}

export const problems: Record<string, (x: X.Tensor) => X.Tensor> = {
  rosenbrock: rosen,
  beale,
  powell,
  "chained-rosenbrock-100": rosen,
};

/** ½xᵀAx − bᵀx as a tensor function. */
export function quadratic(A: X.Tensor, b: X.Tensor): (x: X.Tensor) => X.Tensor {
  return (x) => X.sub(X.mul(0.5, X.dot(x, X.matmul(A, x))), X.dot(b, x));
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}
