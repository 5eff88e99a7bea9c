// Differentiable triangular solves (the kernel, forward/back substitution blocked for many right-hand sides, is
// trsm in trsm-blocked.ts: Golub & Van Loan, "Matrix Computations" (4th ed.), §3.1).
// Derivatives (Giles 2008): X = T⁻¹B gives dX = T⁻¹(dB − dT·X), with dT restricted to the
// triangle that is read; reverse mode ḡ_B = op(T)⁻ᵀG, ḡ_T = −ḡ_B·Xᵀ (transposed if op = ᵀ), masked.
// The solve is linear in B, so transposing the JVP rule would recurse forever: the primitive is a
// customJvp (forward rule) inside a customVjp (reverse rule), both calling the differentiable solve (nests).
import {
  asTensor,
  customJvp,
  customVjp,
  expandDims,
  matmul,
  mT,
  mul,
  neg,
  squeeze,
  sub,
  type Tensor,
  type TensorLike,
} from "@x/tensor";
import { SingularMatrixError } from "../errors.js";
import { type MaskKind, mask, matInfo, out, rhsInfo } from "./common.js";
import { trsm } from "./trsm-blocked.js";

/** The raw in-place kernel (forward/back substitution, blocked for many right-hand sides). */
export { trsm };

export interface SolveTriangularOptions {
  /** Read the lower triangle of a (true) or the upper one (false). */
  lower: boolean;
  /** Solve aᵀ·x = b instead of a·x = b (default false). */
  trans?: boolean;
  /** Assume ones on the diagonal of a without reading it (default false). */
  unitDiagonal?: boolean;
}

type Tri = (t: Tensor, b: Tensor) => Tensor;
const cache = new Map<string, Tri>();

function raw(t: Tensor, b: Tensor, lower: boolean, trans: boolean, unit: boolean): Tensor {
  const { count, n } = matInfo(t, "solveTriangular", "a", true, false);
  const k = b.shape[b.rank - 1]!;
  const td = t.data;
  if (!unit) {
    for (let bi = 0; bi < count; bi++) {
      for (let i = 0; i < n; i++) if (td[bi * n * n + i * n + i] === 0) throw new SingularMatrixError("a", i, bi);
    }
  }
  const x = Float64Array.from(b.data);
  for (let bi = 0; bi < count; bi++) trsm(td, bi * n * n, n, x, bi * n * k, k, lower, trans, unit);
  return out(x, b.shape);
}

/** The differentiable matrix-RHS primitive for one combination of options (cached). */
export function triSolver(lower: boolean, trans: boolean, unit: boolean): Tri {
  const key = `${lower}|${trans}|${unit}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const kind: MaskKind = lower ? (unit ? "strictLower" : "lower") : unit ? "strictUpper" : "upper";
  const fwd: Tri = customJvp(
    (t: Tensor, b: Tensor) => raw(t, b, lower, trans, unit),
    ([t, b], [dt, db]) => {
      const x = f(t, b);
      const dtm = mul(dt, mask(t.shape[t.rank - 1]!, kind));
      return [x, f(t, sub(db, matmul(trans ? mT(dtm) : dtm, x)))];
    },
  ) as Tri;
  const f: Tri = customVjp(
    (t: Tensor, b: Tensor) => fwd(t, b),
    (t: Tensor, b: Tensor) => {
      const x = f(t, b);
      return [x, { t, x }];
    },
    ({ t, x }, g) => {
      const gb = triSolver(lower, !trans, unit)(t, g);
      const gt = trans ? matmul(x, mT(gb)) : matmul(gb, mT(x));
      return [neg(mul(gt, mask(t.shape[t.rank - 1]!, kind))), gb];
    },
  ) as Tri;
  cache.set(key, f);
  return f;
}

/**
 * Solves op(a)·x = b for triangular a [..., n, n] (op = identity or transpose), b [..., n] or [..., n, k]
 * (scipy.linalg.solve_triangular). Differentiable in a (its triangle) and b, forward and reverse.
 * Throws SingularMatrixError on a zero diagonal entry.
 */
export function solveTriangular(a: TensorLike, b: TensorLike, options: SolveTriangularOptions): Tensor {
  const A = asTensor(a, "a");
  const B = asTensor(b, "b");
  const info = matInfo(A, "solveTriangular", "a", true);
  const { vector } = rhsInfo(B, info, "solveTriangular");
  const f = triSolver(options.lower, options.trans ?? false, options.unitDiagonal ?? false);
  return vector ? squeeze(f(A, expandDims(B, -1)), -1) : f(A, B);
}
