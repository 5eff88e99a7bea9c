// Matrix norms over the last two axes (Golub & Van Loan, §2.3): Frobenius, nuclear and spectral
// (±2) norms from the singular values; induced 1 / ∞ norms (and their "−" minima) from absolute
// column / row sums, as numpy.linalg.norm defines them. Composed of @x/tensor ops, so it is
// differentiable wherever the underlying max/min/svd are.
import { abs, asTensor, max, min, mul, sqrt, sum, type Tensor, type TensorLike, ValueError } from "@x/tensor";
import { matInfo } from "./common.js";
import { svdvals } from "./svd.js";

/** 'fro', 'nuc', 1, −1, 2, −2, Infinity or −Infinity (TypeScript has no literal type for ±Infinity). */
export type MatrixNormOrd = "fro" | "nuc" | number;

/** Norm of a (batch of) matrix [..., m, n] → [...]; ord ∈ 'fro' (default), 'nuc', 1, −1, 2, −2, ∞, −∞. */
export function matrixNorm(a: TensorLike, ord: MatrixNormOrd = "fro"): Tensor {
  const A = asTensor(a, "a");
  matInfo(A, "matrixNorm", "a");
  switch (ord) {
    case "fro":
      return sqrt(sum(mul(A, A), { axis: [-2, -1] }));
    case "nuc":
      return sum(svdvals(A), { axis: -1 });
    case 2:
      return max(svdvals(A), { axis: -1 });
    case -2:
      return min(svdvals(A), { axis: -1 });
    case 1:
      return max(sum(abs(A), { axis: -2 }), { axis: -1 });
    case -1:
      return min(sum(abs(A), { axis: -2 }), { axis: -1 });
    case Number.POSITIVE_INFINITY:
      return max(sum(abs(A), { axis: -1 }), { axis: -1 });
    case Number.NEGATIVE_INFINITY:
      return min(sum(abs(A), { axis: -1 }), { axis: -1 });
    default:
      throw new ValueError(
        `matrixNorm: ord must be 'fro', 'nuc', 1, -1, 2, -2, Infinity or -Infinity, got ${String(ord)}`,
      );
  }
}
