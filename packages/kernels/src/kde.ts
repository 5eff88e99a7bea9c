// Gaussian kernel density estimation in log space: log p(x) = logsumexp_i(−½‖L⁻¹(x − xᵢ)‖²) − log n − ½ log det(2πΣ),
// Σ = h²·Cov(data) (SciPy's gaussian_kde convention), so far-away queries give finite log densities instead of
// log 0. Bandwidth factor h: Scott n^{−1/(d+4)}, Silverman (n(d+2)/4)^{−1/(d+4)} (Silverman 1986, §4.3), or the
// maximiser of the leave-one-out log-likelihood (golden-section search on log h; Duin 1976).
import { cholesky, solveTriangular } from "@x/linalg";
import {
  add,
  fromData,
  logsumexp,
  mul,
  pairwiseSqDist,
  sum,
  type Tensor,
  type TensorLike,
  transpose,
  ValueError,
} from "@x/tensor";
import { asInputs, checkSameDim } from "./kernel.js";

export type Bandwidth = "scott" | "silverman" | "loo" | number;

export interface KdeResult {
  /** Bandwidth factor h (Σ = h²·Cov). */
  factor: number;
  /** Kernel covariance Σ [d, d]. */
  covariance: Tensor;
  /** log p at the query points [m]. */
  logPdf(xs: TensorLike): Tensor;
}

function covarianceOf(X: Tensor): Float64Array {
  const [n, d] = X.shape as [number, number];
  const x = X.data;
  const mu = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mu[j] = mu[j]! + x[i * d + j]! / n;
  const C = new Float64Array(d * d);
  for (let i = 0; i < n; i++)
    for (let a = 0; a < d; a++)
      for (let b = 0; b < d; b++)
        C[a * d + b] = C[a * d + b]! + ((x[i * d + a]! - mu[a]!) * (x[i * d + b]! - mu[b]!)) / (n - 1);
  return C;
}

/** log-densities of queries Q under the KDE of data D, both already whitened by L⁻¹ of Cov (unit-factor space). */
function logPdfWhite(D: Tensor, Q: Tensor, h: number, logDetCov: number, excludeSelf: boolean): Tensor {
  const [n, d] = D.shape as [number, number];
  let E = mul(-0.5 / (h * h), pairwiseSqDist(Q, D));
  if (excludeSelf) {
    // Leave-one-out: −∞ on the diagonal (query i = data i).
    const mask = new Float64Array(n * n);
    for (let i = 0; i < n; i++) mask[i * n + i] = Number.NEGATIVE_INFINITY;
    E = add(E, fromData(mask, [n, n]));
  }
  const norm = Math.log(excludeSelf ? n - 1 : n) + 0.5 * (d * Math.log(2 * Math.PI * h * h) + logDetCov);
  return add(logsumexp(E, { axis: 1 }), -norm);
}

export function kde(data: TensorLike, opts: { bandwidth?: Bandwidth } = {}): KdeResult {
  const X = asInputs(data, "data");
  const [n, d] = X.shape as [number, number];
  if (n < 2) throw new ValueError(`kde: needs at least 2 points, got ${n}`);
  const C = fromData(covarianceOf(X), [d, d]);
  let L: Tensor;
  try {
    L = cholesky(C).l;
  } catch {
    throw new ValueError("kde: the data covariance is singular (points lie in a lower-dimensional subspace)");
  }
  let logDetCov = 0;
  for (let i = 0; i < d; i++) logDetCov += 2 * Math.log(L.data[i * d + i]!);
  const white = (A: Tensor) => transpose(solveTriangular(L, transpose(A), { lower: true }));
  const W = white(X);
  const bw = opts.bandwidth ?? "scott";
  let h: number;
  if (typeof bw === "number") {
    if (!(Number.isFinite(bw) && bw > 0)) throw new ValueError(`kde: bandwidth must be > 0, got ${bw}`);
    h = bw;
  } else if (bw === "scott") h = n ** (-1 / (d + 4));
  else if (bw === "silverman") h = ((n * (d + 2)) / 4) ** (-1 / (d + 4));
  else if (bw === "loo") h = looFactor(W, logDetCov);
  else throw new ValueError(`kde: bandwidth must be "scott", "silverman", "loo" or a number, got ${String(bw)}`);
  return {
    factor: h,
    covariance: mul(h * h, C),
    logPdf(xs: TensorLike) {
      const Q = asInputs(xs, "xs");
      checkSameDim(X, Q, "kde.logPdf");
      return logPdfWhite(W, white(Q), h, logDetCov, false);
    },
  };
}

/** Leave-one-out log-likelihood of the whitened data at factor h. */
export function looLogLikelihood(W: Tensor, h: number, logDetCov: number): number {
  return sum(logPdfWhite(W, W, h, logDetCov, true)).item();
}

/** Golden-section search of the LOO log-likelihood over log h ∈ [log 1e-3, log 10] (unimodal in practice). */
function looFactor(W: Tensor, logDetCov: number): number {
  const f = (t: number) => -looLogLikelihood(W, Math.exp(t), logDetCov);
  let a = Math.log(1e-3);
  let b = Math.log(10);
  const g = (Math.sqrt(5) - 1) / 2;
  let c = b - g * (b - a);
  let e = a + g * (b - a);
  let fc = f(c);
  let fe = f(e);
  for (let it = 0; it < 60 && b - a > 1e-6; it++) {
    if (fc < fe) {
      b = e;
      e = c;
      fe = fc;
      c = b - g * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = e;
      fc = fe;
      e = a + g * (b - a);
      fe = f(e);
    }
  }
  return Math.exp((a + b) / 2);
}
