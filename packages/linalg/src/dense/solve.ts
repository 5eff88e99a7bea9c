// Linear solve a·x = b by LU with partial pivoting (Golub & Van Loan, "Matrix Computations", §3.4).
// Derivative (Giles, "An extended collection of matrix derivative results for forward and reverse
// mode AD", 2008): dx = a⁻¹(db − da·x); reverse mode ḡ_b = a⁻ᵀg, ḡ_a = −ḡ_b·xᵀ.
// solve is linear in b, so transposing its JVP rule would need solve's own transpose again (endless
// recursion); hence two layers: customJvp (forward rule) inside customVjp (reverse rule). Both rules
// call the outer, differentiable solve, so every mix of forward and reverse mode nests.
import {
  asTensor,
  customJvp,
  customVjp,
  expandDims,
  matmul,
  mT,
  neg,
  squeeze,
  sub,
  type Tensor,
  type TensorLike,
} from "@x/tensor";
import { matInfo, out, rhsInfo } from "./common.js";
import { getrs, luBatch } from "./lu.js";

function raw(a: Tensor, b: Tensor): Tensor {
  const f = luBatch(a, "solve", "a", true);
  const { n } = f;
  const k = b.shape[b.rank - 1]!;
  const x = Float64Array.from(b.data);
  for (let bi = 0; bi < f.sign.length; bi++) getrs(f.lu, bi * n * n, n, f.piv, bi * n, x, bi * n * k, k);
  return out(x, b.shape);
}

type Solve = (a: Tensor, b: Tensor) => Tensor;

const forward: Solve = customJvp(
  (a: Tensor, b: Tensor) => raw(a, b),
  ([a, b], [da, db]) => {
    const x = solveMat(a, b);
    return [x, solveMat(a, sub(db, matmul(da, x)))];
  },
) as Solve;

/** Differentiable a⁻¹·b for b [..., n, k] (no validation beyond the factorization). */
export const solveMat: Solve = customVjp(
  (a: Tensor, b: Tensor) => forward(a, b),
  (a: Tensor, b: Tensor) => {
    const x = solveMat(a, b);
    return [x, { a, x }];
  },
  ({ a, x }, g) => {
    const gb = solveMat(mT(a), g);
    return [neg(matmul(gb, mT(x))), gb];
  },
) as Solve;

/**
 * Solves a·x = b for square a [..., n, n] and b [..., n] or [..., n, k] (same leading dimensions).
 * Throws SingularMatrixError on an exactly zero pivot. Differentiable in a and b (forward and reverse, nestable).
 */
export function solve(a: TensorLike, b: TensorLike): Tensor {
  const A = asTensor(a, "a");
  const B = asTensor(b, "b");
  // Finiteness of a is checked once, by the factorization (luBatch).
  const info = matInfo(A, "solve", "a", true, false);
  const { vector } = rhsInfo(B, info, "solve");
  return vector ? squeeze(solveMat(A, expandDims(B, -1)), -1) : solveMat(A, B);
}
