// Determinant and sign/log-determinant from LU with partial pivoting: det a = sign(P)·Π u_ii
// (Golub & Van Loan, §3.4). Derivatives (Jacobi's formula, Giles 2008): d det = det·tr(a⁻¹da),
// d log|det| = tr(a⁻¹da), via customJvp with rules that call det and inv (both differentiable), so
// they nest. The rules need a invertible: at an exactly singular a the derivative throws
// SingularMatrixError rather than returning a silent NaN.
import { asTensor, customJvp, mul, type Tensor, type TensorLike } from "@x/tensor";
import { isConcrete, matInfo, out, traceProd } from "./common.js";
import { invMat } from "./inv.js";
import { luBatch } from "./lu.js";

function factor(a: Tensor, fn: string): { sign: Float64Array; logabs: Float64Array; det: Float64Array } {
  const f = luBatch(a, fn, "a", false);
  const { n } = f;
  const count = f.sign.length;
  const sign = new Float64Array(count);
  const logabs = new Float64Array(count);
  const det = new Float64Array(count);
  for (let b = 0; b < count; b++) {
    let s = f.sign[b]!;
    let la = 0;
    let d = f.sign[b]!;
    for (let i = 0; i < n; i++) {
      const u = f.lu[b * n * n + i * n + i]!;
      d *= u;
      if (u < 0) s = -s;
      la += Math.log(Math.abs(u));
    }
    // A zero pivot means det = 0: sign 0 and log|det| = −∞ (as numpy.linalg.slogdet).
    if (f.info[b]! >= 0) {
      s = 0;
      la = Number.NEGATIVE_INFINITY;
      d = 0;
    }
    sign[b] = s;
    logabs[b] = la;
    det[b] = d;
  }
  return { sign, logabs, det };
}

const batchOf = (a: Tensor) => a.shape.slice(0, -2);

const detMat: (a: Tensor) => Tensor = customJvp(
  (a: Tensor) => out(factor(a, "det").det, batchOf(a)),
  ([a], [da]) => {
    const d = detMat(a);
    return [d, mul(d, traceProd(invMat(a), da))];
  },
) as (a: Tensor) => Tensor;

const logabsdetMat: (a: Tensor) => Tensor = customJvp(
  (a: Tensor) => out(factor(a, "slogdet").logabs, batchOf(a)),
  ([a], [da]) => [logabsdetMat(a), traceProd(invMat(a), da)],
) as (a: Tensor) => Tensor;

/** Determinant of square a [..., n, n] → [...]. Differentiable (nestable) where a is invertible. */
export function det(a: TensorLike): Tensor {
  const A = asTensor(a, "a");
  matInfo(A, "det", "a", true);
  return detMat(A);
}

export interface SlogdetResult {
  /** Sign of the determinant [...]: ±1, or 0 for a singular matrix. Not differentiated. */
  sign: Tensor;
  /** log|det a| [...] (−∞ for a singular matrix). Differentiable (nestable) where a is invertible. */
  logabsdet: Tensor;
}

/** Sign and log-absolute-determinant of square a [..., n, n], without overflow (numpy.linalg.slogdet). */
export function slogdet(a: TensorLike): SlogdetResult {
  const A = asTensor(a, "a");
  matInfo(A, "slogdet", "a", true);
  const f = factor(A, "slogdet");
  const logabsdet = isConcrete(A) ? out(f.logabs, batchOf(A)) : logabsdetMat(A);
  return { sign: out(f.sign, batchOf(A)), logabsdet };
}
