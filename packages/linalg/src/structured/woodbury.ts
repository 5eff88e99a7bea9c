// Low-rank updates of a solve: the Sherman–Morrison–Woodbury identity (Woodbury 1950; Hager,
// "Updating the inverse of a matrix", SIAM Review 31 (1989)):
//   (A + U C V)⁻¹ b = A⁻¹b − A⁻¹U (C⁻¹ + V A⁻¹ U)⁻¹ V A⁻¹ b,
// needing only k + 1 solves with A and one k×k solve. Sherman–Morrison is the rank-one case
//   (A + u vᵀ)⁻¹ b = A⁻¹b − A⁻¹u (vᵀA⁻¹b)/(1 + vᵀA⁻¹u).
import {
  add,
  asTensor,
  concat,
  div,
  dot,
  expandDims,
  eye,
  matmul,
  mul,
  reshape,
  ShapeError,
  slice,
  squeeze,
  sub,
  type Tensor,
  type TensorLike,
  ValueError,
} from "@x/tensor";
import { inv } from "../dense/inv.js";
import { solve } from "../dense/solve.js";

/** A itself (dense [n, n]) or a function applying A⁻¹ to a vector [n] (e.g. a cached factorization). */
export type InverseLike = TensorLike | ((x: Tensor) => Tensor);

function applier(a: InverseLike, fn: string): { n: number | null; apply: (x: Tensor) => Tensor } {
  if (typeof a === "function") {
    return {
      n: null,
      // A user A⁻¹ acts on vectors: apply it column by column to a matrix.
      apply: (x) =>
        x.rank === 1
          ? a(x)
          : concat(
              Array.from({ length: x.shape[1]! }, (_, j) => expandDims(a(squeeze(slice(x, [null, [j, j + 1]]), 1)), 1)),
              1,
            ),
    };
  }
  const A = asTensor(a, "a");
  if (A.rank !== 2 || A.shape[0] !== A.shape[1]) {
    throw new ShapeError(`${fn}: a must be a square matrix [n, n] or a function x ↦ A⁻¹x, got shape [${A.shape}]`);
  }
  return { n: A.shape[0]!, apply: (x) => solve(A, x) };
}

/**
 * (A + U C V)⁻¹ b with A [n, n] (or A⁻¹ as a function), U [n, k], C [k, k] (or its diagonal [k]),
 * V [k, n], b [n] or [n, m]. Differentiable when A is given as a matrix.
 */
export function woodburySolve(a: InverseLike, u: TensorLike, c: TensorLike, v: TensorLike, b: TensorLike): Tensor {
  const { n: nA, apply } = applier(a, "woodburySolve");
  const U = asTensor(u, "u");
  const Cin = asTensor(c, "c");
  const V = asTensor(v, "v");
  const B = asTensor(b, "b");
  if (U.rank !== 2) throw new ShapeError(`woodburySolve: u must be a matrix [n, k], got shape [${U.shape}]`);
  const [n, k] = U.shape as [number, number];
  if (nA !== null && nA !== n)
    throw new ShapeError(`woodburySolve: u must have ${nA} rows to match a, got [${U.shape}]`);
  const C = Cin.rank === 1 ? mul(expandDims(Cin, 1), eye(k)) : Cin;
  if (C.rank !== 2 || C.shape[0] !== k || C.shape[1] !== k) {
    throw new ShapeError(`woodburySolve: c must be [${k}, ${k}] (or a diagonal [${k}]), got [${Cin.shape}]`);
  }
  if (V.rank !== 2 || V.shape[0] !== k || V.shape[1] !== n) {
    throw new ShapeError(`woodburySolve: v must be [${k}, ${n}], got [${V.shape}]`);
  }
  if (!((B.rank === 1 || B.rank === 2) && B.shape[0] === n)) {
    throw new ShapeError(`woodburySolve: b must be [${n}] or [${n}, m], got [${B.shape}]`);
  }
  const aInvB = apply(B);
  const aInvU = apply(U);
  // Capacitance matrix C⁻¹ + V A⁻¹ U (k×k).
  const cap = add(inv(C), matmul(V, aInvU));
  const rhs = B.rank === 1 ? matmul(V, reshape(aInvB, [n, 1])) : matmul(V, aInvB);
  const corr = matmul(aInvU, solve(cap, rhs));
  return sub(aInvB, B.rank === 1 ? reshape(corr, [n]) : corr);
}

/** (A + u vᵀ)⁻¹ b with A [n, n] (or A⁻¹ as a function), u, v [n], b [n] or [n, m]; differentiable. */
export function shermanMorrison(a: InverseLike, u: TensorLike, v: TensorLike, b: TensorLike): Tensor {
  const { n: nA, apply } = applier(a, "shermanMorrison");
  const U = asTensor(u, "u");
  const V = asTensor(v, "v");
  const B = asTensor(b, "b");
  const n = U.shape[0]!;
  if (U.rank !== 1 || V.rank !== 1 || V.shape[0] !== n || (nA !== null && nA !== n)) {
    throw new ShapeError(`shermanMorrison: u and v must be vectors of length n, got [${U.shape}] and [${V.shape}]`);
  }
  if (!((B.rank === 1 || B.rank === 2) && B.shape[0] === n)) {
    throw new ShapeError(`shermanMorrison: b must be [${n}] or [${n}, m], got [${B.shape}]`);
  }
  const aInvB = apply(B);
  const aInvU = apply(U);
  const den = add(1, dot(V, aInvU));
  const d = den.item();
  if (!(Math.abs(d) > 1e-14 * Math.max(1, Math.abs(dot(V, aInvU).item())))) {
    throw new ValueError(`shermanMorrison: A + u vᵀ is singular (1 + vᵀA⁻¹u = ${d})`);
  }
  if (B.rank === 1) return sub(aInvB, mul(aInvU, div(dot(V, aInvB), den)));
  return sub(aInvB, div(matmul(reshape(aInvU, [n, 1]), matmul(reshape(V, [1, n]), aInvB)), den));
}
