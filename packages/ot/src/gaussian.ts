// Closed forms for Gaussians: the 2-Wasserstein (Bures) distance and the Bures barycenter by the
// fixed point of Álvarez-Esteban, del Barrio, Cuesta-Albertos & Matrán, "A fixed-point approach to
// barycenters in Wasserstein space" (J. Math. Anal. Appl. 2016), Thm. 4.2. Differentiable (sqrtm).
import { inv, sqrtm } from "@x/linalg";
import * as X from "@x/tensor";
import { asTensor, ShapeError, type Tensor, type TensorLike } from "@x/tensor";
import { checkMarginal, vec } from "./internal/validate.js";

const sym = (A: Tensor) => X.mul(0.5, X.add(A, X.mT(A)));
const trace = (A: Tensor) => X.sum(X.mul(A, X.eye(A.shape[0]!)));

function checkGaussian(m: Tensor, S: Tensor, name: string): number {
  const d = m.shape[0]!;
  if (m.rank !== 1 || S.rank !== 2 || S.shape[0] !== d || S.shape[1] !== d) {
    throw new ShapeError(`${name}: mean must be (d) and covariance (d, d), got [${m.shape}] and [${S.shape}]`);
  }
  X.assertFinite(m.data, `${name} mean`);
  X.assertFinite(S.data, `${name} covariance`);
  return d;
}

/** Bures distance² tr(S1 + S2 − 2 (S1^½ S2 S1^½)^½) between covariance matrices. */
export function buresDistance2(S1: TensorLike, S2: TensorLike): Tensor {
  const A = asTensor(S1, "S1");
  const B = asTensor(S2, "S2");
  const r = sqrtm(A);
  const mid = sqrtm(sym(X.matmul(X.matmul(r, B), r)));
  return X.sub(X.add(trace(A), trace(B)), X.mul(2, trace(mid)));
}

/** W₂² between N(m1, S1) and N(m2, S2): ‖m1 − m2‖² + Bures²(S1, S2). */
export function gaussianW2(m1: TensorLike, S1: TensorLike, m2: TensorLike, S2: TensorLike): Tensor {
  const a = asTensor(m1, "m1");
  const b = asTensor(m2, "m2");
  const A = asTensor(S1, "S1");
  const B = asTensor(S2, "S2");
  const d1 = checkGaussian(a, A, "first Gaussian");
  const d2 = checkGaussian(b, B, "second Gaussian");
  if (d1 !== d2) throw new ShapeError(`Gaussians live in different dimensions: ${d1} and ${d2}`);
  return X.add(X.sum(X.square(X.sub(a, b))), buresDistance2(A, B));
}

/** The linear Monge map between Gaussians: T(x) = m2 + A (x − m1), A = S1^-½ (S1^½ S2 S1^½)^½ S1^-½. */
export function gaussianMap(m1: TensorLike, S1: TensorLike, m2: TensorLike, S2: TensorLike): { A: Tensor; b: Tensor } {
  const A1 = asTensor(S1, "S1");
  const r = sqrtm(A1);
  const ri = inv(r);
  const A = sym(X.matmul(X.matmul(ri, sqrtm(sym(X.matmul(X.matmul(r, asTensor(S2, "S2")), r)))), ri));
  const b = X.sub(asTensor(m2, "m2"), X.matmul(A, asTensor(m1, "m1")));
  return { A, b };
}

export interface BuresBarycenterResult {
  mean: Tensor;
  cov: Tensor;
  converged: boolean;
  iterations: number;
}

/**
 * W₂ barycenter of Gaussians N(m_k, S_k) with weights w: mean Σ w_k m_k, covariance the fixed point
 * S = Σ_k w_k (S^½ S_k S^½)^½ (iterated as S ← S^-½ (Σ_k w_k (S^½ S_k S^½)^½)² S^-½).
 */
export function buresBarycenter(
  means: TensorLike[],
  covs: TensorLike[],
  opts: { weights?: TensorLike; maxIter?: number; tol?: number } = {},
): BuresBarycenterResult {
  const k = covs.length;
  if (k === 0 || means.length !== k)
    throw new ShapeError(`need as many means as covariances (≥ 1), got ${means.length} and ${k}`);
  const w = opts.weights === undefined ? new Float64Array(k).fill(1 / k) : vec(opts.weights, "weights");
  if (w.length !== k) throw new ShapeError(`weights has ${w.length} entries for ${k} Gaussians`);
  const sw = checkMarginal(w, "weights");
  const ws = Array.from(w, (x) => x / sw);
  const Ms = means.map((m, i) => asTensor(m, `means[${i}]`));
  const Ss = covs.map((S, i) => asTensor(S, `covs[${i}]`));
  Ms.forEach((m, i) => checkGaussian(m, Ss[i]!, `Gaussian ${i}`));
  let mean: Tensor = X.zeros([...Ms[0]!.shape]);
  Ms.forEach((m, i) => (mean = X.add(mean, X.mul(ws[i]!, m))));
  let S: Tensor = X.zeros([...Ss[0]!.shape]);
  Ss.forEach((C, i) => (S = X.add(S, X.mul(ws[i]!, C))));
  const maxIter = opts.maxIter ?? 1000;
  const tol = opts.tol ?? 1e-10;
  let converged = false;
  let it = 0;
  while (it < maxIter) {
    const r = sqrtm(S);
    const ri = inv(r);
    let T: Tensor = X.zeros([...S.shape]);
    Ss.forEach((C, i) => (T = X.add(T, X.mul(ws[i]!, sqrtm(sym(X.matmul(X.matmul(r, C), r)))))));
    const next = sym(X.matmul(X.matmul(ri, X.matmul(T, T)), ri));
    const change = X.max(X.abs(X.sub(next, S))).item() / Math.max(1, X.max(X.abs(S)).item());
    S = next;
    it++;
    if (change < tol) {
      converged = true;
      break;
    }
  }
  return { mean, cov: S, converged, iterations: it };
}
