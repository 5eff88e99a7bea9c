// Exact Gaussian-process regression (Rasmussen & Williams 2006, Algorithm 2.1): Cholesky of K + σₙ²I, posterior
// mean/variance/covariance, log marginal likelihood, and its gradient ∂L/∂θ = ½ tr((ααᵀ − K⁻¹) ∂K/∂θ) (eq. 5.9)
// where ∂K/∂θ is pulled back by one reverse-mode pass through the kernel. Hyperparameters are fitted with
// L-BFGS from @x/second-order. Zero prior mean; center y yourself if needed.
import { choleskySolve, solveTriangular } from "@x/linalg";
import { minimize } from "@x/second-order";
import {
  add,
  arange,
  asTensor,
  exp,
  eye,
  fromData,
  log,
  matmul,
  mul,
  normal,
  type PyTree,
  reshape,
  rng,
  ShapeError,
  sub,
  sum,
  type Tensor,
  type TensorLike,
  take,
  tensor,
  transpose,
  ValueError,
  vjp,
  zeros,
} from "@x/tensor";
import { choleskyInverse } from "./internal/chol-inverse.js";
import { type RbfLmlWorkspace, rbfLmlAndGrad, rbfLmlWorkspace } from "./internal/rbf-lml-gradient.js";
import { CholeskyJitterError, choleskyJitter, type JitterOptions } from "./jitter.js";
import { asInputs, checkSameDim, type Kernel, logPositive, type Params } from "./kernel.js";
import { RbfKernel } from "./rbf.js";

/** GP hyperparameters: the kernel's (log) parameters and the log noise variance log σₙ². */
export interface GpParams {
  kernel: Params;
  logNoise: Tensor;
}

export interface GpOptions extends JitterOptions {
  /** Observation-noise variance σₙ² > 0 (default 1e-6). Ignored when `params` is given. */
  noise?: number;
  /** Explicit (possibly traced) hyperparameters; default: the kernel's own and log(noise). */
  params?: GpParams;
}

const LOG_2PI = Math.log(2 * Math.PI);

function targets(y: TensorLike, n: number, where: string): Tensor {
  const t = asTensor(y, "y");
  if (t.rank !== 1 || t.shape[0] !== n) {
    throw new ShapeError(`${where}: y must be a vector of ${n} targets (one per row of x), got shape [${t.shape}]`);
  }
  return t;
}

function paramsOf(kernel: Kernel, opts: GpOptions, where: string): GpParams {
  return opts.params ?? { kernel: kernel.params, logNoise: logPositive(opts.noise ?? 1e-6, "noise", where) };
}

/** Diagonal of a square matrix as a vector (differentiable). */
function diagonal(a: Tensor): Tensor {
  const n = a.shape[0]!;
  return take(reshape(a, [n * n]), mul(arange(n), n + 1));
}

/** K(x, x) + σₙ²I. */
function noisyGram(kernel: Kernel, p: GpParams, x: Tensor): Tensor {
  return add(kernel.evaluate(p.kernel, x, x), mul(exp(p.logNoise), eye(x.shape[0]!)));
}

/**
 * Log marginal likelihood log p(y | x, θ) = −½ yᵀα − Σ log Lᵢᵢ − n/2 log 2π as a scalar tensor, differentiable
 * (to any order) w.r.t. `opts.params`, x and y through @x/linalg's Cholesky rules.
 */
export function logMarginalLikelihood(kernel: Kernel, x: TensorLike, y: TensorLike, opts: GpOptions = {}): Tensor {
  const X = asInputs(x, "x");
  const Y = targets(y, X.shape[0]!, "logMarginalLikelihood");
  const p = paramsOf(kernel, opts, "logMarginalLikelihood");
  const { l } = choleskyJitter(noisyGram(kernel, p, X), "logMarginalLikelihood", opts);
  const alpha = choleskySolve(l, Y);
  const n = X.shape[0]!;
  return sub(sub(mul(-0.5, sum(mul(Y, alpha))), sum(log(diagonal(l)))), 0.5 * n * LOG_2PI);
}

/**
 * Value and exact gradient of the log marginal likelihood w.r.t. { kernel, logNoise } by the trace formula
 * (one Cholesky, one K⁻¹, one reverse pass through the kernel): the fast path used by `fitGp`.
 */
export function logMarginalLikelihoodAndGrad(
  kernel: Kernel,
  x: TensorLike,
  y: TensorLike,
  opts: GpOptions = {},
): { value: number; grad: GpParams; jitter: number } {
  return lmlAndGrad(kernel, x, y, opts);
}

/** logMarginalLikelihoodAndGrad with reusable buffers for the RBF path (fitGp keeps one across its evaluations). */
function lmlAndGrad(
  kernel: Kernel,
  x: TensorLike,
  y: TensorLike,
  opts: GpOptions,
  ws?: { rbf?: RbfLmlWorkspace },
): { value: number; grad: GpParams; jitter: number } {
  const X = asInputs(x, "x");
  const n = X.shape[0]!;
  const Y = targets(y, n, "logMarginalLikelihoodAndGrad");
  const p = paramsOf(kernel, opts, "logMarginalLikelihoodAndGrad");
  if (isPlainRbf(kernel, p.kernel)) {
    // Closed-form fused path for the (ARD) RBF kernel: no tensors of size n², no reverse pass.
    if (ws && (ws.rbf?.n !== n || ws.rbf.d !== X.shape[1])) ws.rbf = rbfLmlWorkspace(n, X.shape[1]!);
    const r = rbfLmlAndGrad(p.kernel, X, Y, p.logNoise.item(), "logMarginalLikelihoodAndGrad", opts, ws?.rbf);
    return {
      value: r.value,
      grad: {
        kernel: { logLengthscale: r.gradLogLengthscale, logVariance: r.gradLogVariance },
        logNoise: r.gradLogNoise,
      },
      jitter: r.jitter,
    };
  }
  const [K, pullback] = vjp((kp: Params) => kernel.evaluate(kp, X, X), p.kernel);
  const noise = Math.exp(p.logNoise.item());
  const kd = Float64Array.from((K as Tensor).data);
  for (let i = 0; i < n; i++) kd[i * n + i] = kd[i * n + i]! + noise;
  const { l, jitter } = choleskyJitter(fromData(kd, [n, n]), "logMarginalLikelihoodAndGrad", opts);
  const alpha = choleskySolve(l, Y);
  const ld = l.data;
  let logDiag = 0;
  for (let i = 0; i < n; i++) logDiag += Math.log(ld[i * n + i]!);
  const value = -0.5 * sum(mul(Y, alpha)).item() - logDiag - 0.5 * n * LOG_2PI;
  // W = ½(ααᵀ − K⁻¹): dL = ⟨W, dK⟩.
  const Kinv = choleskyInverse(l);
  const a = alpha.data;
  const W = new Float64Array(n * n);
  let trW = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) W[i * n + j] = 0.5 * (a[i]! * a[j]! - Kinv[i * n + j]!);
    trW += W[i * n + i]!;
  }
  const [gk] = pullback(tensor(W, [n, n])) as [Params];
  return { value, grad: { kernel: gk, logNoise: tensor(trW * noise) }, jitter };
}

/** The RBF kernel itself (not a subclass that may change the profile) with its own two scalar/vector params. */
function isPlainRbf(kernel: Kernel, params: Params): boolean {
  if (Object.getPrototypeOf(kernel) !== RbfKernel.prototype) return false;
  const keys = Object.keys(params);
  const ls = params.logLengthscale;
  const lv = params.logVariance;
  return keys.length === 2 && ls !== undefined && lv !== undefined && ls.rank <= 1 && lv.size === 1;
}

export interface GpPrediction {
  mean: Tensor;
  variance: Tensor;
  /** Full posterior covariance [m, m] (only with `fullCov: true`). */
  covariance?: Tensor;
}

export interface SampleOptions extends JitterOptions {
  seed?: number;
  nSamples?: number;
}

/** Draws nSamples vectors from N(mean, cov) as [nSamples, m], with the jitter policy on cov. */
function sampleMvn(mean: Tensor, cov: Tensor, opts: SampleOptions, where: string): Tensor {
  const m = mean.shape[0]!;
  const nSamples = opts.nSamples ?? 1;
  if (!(Number.isInteger(nSamples) && nSamples >= 1)) {
    throw new ValueError(`${where}: nSamples must be an integer ≥ 1, got ${nSamples}`);
  }
  const { l } = choleskyJitter(cov, where, opts);
  const z = normal(rng(opts.seed ?? 0), [m, nSamples]);
  return add(transpose(matmul(l, z)), reshape(mean, [1, m]));
}

/** The posterior of a GP conditioned on (x, y): predictions and samples at new points. */
export class GpPosterior {
  readonly alpha: Tensor;
  readonly l: Tensor;
  /** The jitter the policy added to K + σₙ²I (0 when none was needed). */
  readonly jitter: number;
  constructor(
    readonly kernel: Kernel,
    readonly x: Tensor,
    readonly y: Tensor,
    readonly params: GpParams,
    opts: JitterOptions = {},
  ) {
    const f = choleskyJitter(noisyGram(kernel, params, x), "gpPosterior", opts);
    this.l = f.l;
    this.jitter = f.jitter;
    this.alpha = choleskySolve(this.l, y);
  }

  /** Posterior mean k*ᵀα and variance k** − vᵀv (v = L⁻¹k*) of the latent f at xs; noise-free. */
  predict(xs: TensorLike, opts: { fullCov?: boolean } = {}): GpPrediction {
    const Xs = asInputs(xs, "xs");
    checkSameDim(this.x, Xs, "gpPosterior.predict");
    const Ks = this.kernel.evaluate(this.params.kernel, this.x, Xs);
    const mean = matmul(transpose(Ks), this.alpha);
    const v = solveTriangular(this.l, Ks, { lower: true });
    const variance = sub(this.kernel.evaluateDiag(this.params.kernel, Xs), sum(mul(v, v), { axis: 0 }));
    if (!opts.fullCov) return { mean, variance };
    const covariance = sub(this.kernel.evaluate(this.params.kernel, Xs, Xs), matmul(transpose(v), v));
    return { mean, variance, covariance };
  }

  /** Seeded joint samples of the latent posterior at xs, [nSamples, m]. */
  sample(xs: TensorLike, opts: SampleOptions = {}): Tensor {
    const { mean, covariance } = this.predict(xs, { fullCov: true });
    return sampleMvn(mean, covariance!, opts, "gpPosterior.sample");
  }
}

/** Conditions a zero-mean GP with the kernel and noise variance on the data (x [n, d], y [n]). */
export function gpPosterior(kernel: Kernel, x: TensorLike, y: TensorLike, opts: GpOptions = {}): GpPosterior {
  const X = asInputs(x, "x");
  const Y = targets(y, X.shape[0]!, "gpPosterior");
  return new GpPosterior(kernel, X, Y, paramsOf(kernel, opts, "gpPosterior"), opts);
}

/** Seeded joint samples of the zero-mean prior GP at xs, [nSamples, m]. */
export function samplePrior(kernel: Kernel, xs: TensorLike, opts: SampleOptions = {}): Tensor {
  const Xs = asInputs(xs, "xs");
  const K = kernel.k(Xs);
  return sampleMvn(zeros([Xs.shape[0]!]), K, opts, "samplePrior");
}

export interface FitGpOptions extends JitterOptions {
  /** Initial noise variance (default 1e-2). */
  noise?: number;
  /** Learn the noise variance too (default true). */
  fitNoise?: boolean;
  /** Gradient tolerance ‖∇(−L)‖∞ (default 1e-5) and iteration cap (default 200) for L-BFGS. */
  tol?: number;
  maxIter?: number;
  /**
   * Also stop when an iteration lowers −L by at most ftol relative to max(|f_k|, |f_{k+1}|, 1) — the `factr·ε` test of
   * SciPy's L-BFGS-B that scikit-learn's GaussianProcessRegressor relies on (default 1e7·ε ≈ 2.2e-9; 0 disables it).
   * On flat directions (an irrelevant ARD lengthscale drifting to ∞) it saves most of the late iterations while
   * the likelihood is already within about ftol·|L| of the gradient-tolerance optimum.
   */
  ftol?: number;
}

export interface FitGpResult {
  kernel: Kernel;
  noise: number;
  /** Log marginal likelihood at the fitted hyperparameters. */
  logMarginalLikelihood: number;
  converged: boolean;
  iterations: number;
  nfev: number;
  message: string;
  /** −L after each iteration. */
  history: number[];
}

/** Maximum-marginal-likelihood hyperparameters (type-II ML) by L-BFGS on the log-parameters. */
export function fitGp(kernel: Kernel, x: TensorLike, y: TensorLike, opts: FitGpOptions = {}): FitGpResult {
  const X = asInputs(x, "x");
  const Y = targets(y, X.shape[0]!, "fitGp");
  const fitNoise = opts.fitNoise ?? true;
  const logNoise0 = logPositive(opts.noise ?? 1e-2, "noise", "fitGp");
  const jitterOpts: JitterOptions = { maxTries: opts.maxTries, jitters: opts.jitters };
  const unpack = (z: PyTree): GpParams => {
    const t = z as { kernel: Params; logNoise?: Tensor };
    return { kernel: t.kernel, logNoise: fitNoise ? t.logNoise! : logNoise0 };
  };
  const ftol = opts.ftol ?? 1e7 * Number.EPSILON;
  if (!(ftol >= 0)) throw new ValueError(`fitGp: ftol must be ≥ 0, got ${opts.ftol}`);
  // −L at the previous iterate for the ftol test (the first evaluation is at x0).
  let previous = Number.NaN;
  let flat = false;
  const workspace: { rbf?: RbfLmlWorkspace } = {};
  const objective = (z: PyTree) => {
    try {
      const r = lmlAndGrad(kernel, X, Y, { ...jitterOpts, params: unpack(z) }, workspace);
      if (Number.isNaN(previous)) previous = -r.value;
      const neg = (t: Tensor) => mul(-1, t);
      const g: PyTree = fitNoise
        ? { kernel: mapParams(r.grad.kernel, neg), logNoise: neg(r.grad.logNoise) }
        : { kernel: mapParams(r.grad.kernel, neg) };
      return [-r.value, g] as const;
    } catch (e) {
      // A step into hyperparameters whose Gram matrix is numerically singular: report +∞ so the line search backs off.
      if (!(e instanceof CholeskyJitterError)) throw e;
      return [Number.POSITIVE_INFINITY, z] as const;
    }
  };
  const z0: PyTree = fitNoise ? { kernel: kernel.params, logNoise: logNoise0 } : { kernel: kernel.params };
  const r = minimize(objective, z0, {
    method: "lbfgs",
    jac: true,
    tol: opts.tol ?? 1e-5,
    maxIter: opts.maxIter ?? 200,
    callback:
      ftol > 0
        ? ({ fun }) => {
            flat = previous - fun <= ftol * Math.max(Math.abs(previous), Math.abs(fun), 1);
            previous = fun;
            return flat;
          }
        : undefined,
  });
  const best = unpack(r.x);
  const converged = r.converged || (flat && r.message === "stopped by callback");
  const message = flat && !r.converged ? "converged: relative reduction of −L ≤ ftol" : r.message;
  return {
    kernel: kernel.withParams(best.kernel),
    noise: Math.exp(best.logNoise.item()),
    logMarginalLikelihood: -r.fun,
    converged,
    iterations: r.iterations,
    nfev: r.nfev,
    message,
    history: r.history,
  };
}

function mapParams(p: Params, f: (t: Tensor) => Tensor): Params {
  const out: Params = {};
  for (const [k, v] of Object.entries(p)) out[k] = f(v);
  return out;
}
