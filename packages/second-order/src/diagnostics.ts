// Curvature diagnostics of a loss (PyHessian-style; Yao et al., "PyHessian", 2020): top Hessian
// eigenvalues (Lanczos or power iteration), trace and diagonal (Hutchinson, Hutch++), spectral
// density by stochastic Lanczos quadrature (Ubaru, Chen & Saad 2017), the stability of GD/SGD at a
// learning rate (Cohen et al., "Gradient descent on neural networks typically occurs at the edge of
// stability", 2021: GD on a quadratic is stable iff η·λ_max ≤ 2), and the gradient's overlap with the
// top-k Hessian eigenspace (Gur-Ari, Roberts & Dyer, "Gradient descent happens in a tiny subspace", 2018).
// All estimators are seeded and wrap @x/linalg.
import { hutchinson, hutchinsonDiagonal, hutchPlusPlus, lanczos, powerIteration, slq } from "@x/linalg";
import { fromData, type LinearOperator, type Tensor, ValueError, valueAndGrad } from "@x/tensor";
import { hessianOperator } from "./curvature.js";
import { flatView } from "./internal/problem.js";

export interface TopEigenOptions {
  method?: "lanczos" | "power";
  seed?: number;
  tol?: number;
  maxIter?: number;
}

/** The k largest (algebraic) eigenvalues of a symmetric operator, descending, with eigenvectors as columns. */
export function topEigenvalues(
  op: LinearOperator,
  k = 1,
  opts: TopEigenOptions = {},
): { values: number[]; vectors: Tensor; converged: boolean; iterations: number } {
  if ((opts.method ?? "lanczos") === "power") {
    if (k !== 1) throw new ValueError(`topEigenvalues: power iteration finds one eigenvalue, asked for k = ${k}`);
    const r = powerIteration(op, { seed: opts.seed ?? 0, tol: opts.tol ?? 1e-8, maxIter: opts.maxIter ?? 1000 });
    return {
      values: [r.value],
      vectors: fromData(Float64Array.from(r.vector.data), [op.shape[0], 1]),
      converged: r.converged,
      iterations: r.iterations,
    };
  }
  const r = lanczos(op, k, {
    which: "largest",
    seed: opts.seed ?? 0,
    tol: opts.tol ?? 1e-8,
    ...(opts.maxIter === undefined ? {} : { maxIter: opts.maxIter }),
  });
  return { values: Array.from(r.values.data), vectors: r.vectors, converged: r.converged, iterations: r.iterations };
}

export interface TraceOptions {
  method?: "hutchinson" | "hutch++";
  /** Probe vectors (Hutchinson) or matvecs (Hutch++); default 100. */
  numSamples?: number;
  seed?: number;
}

/** tr A by Hutchinson (with its standard error) or Hutch++. */
export function traceEstimate(op: LinearOperator, opts: TraceOptions = {}): { estimate: number; stderr?: number } {
  const s = opts.numSamples ?? 100;
  if ((opts.method ?? "hutchinson") === "hutch++") {
    return hutchPlusPlus(op, { numMatvecs: Math.max(3, s), seed: opts.seed ?? 0 });
  }
  return hutchinson(op, { numSamples: s, seed: opts.seed ?? 0 });
}

/** diag A by Hutchinson's estimator E[z ⊙ Az]. */
export function diagonalEstimate(op: LinearOperator, opts: { numSamples?: number; seed?: number } = {}): Tensor {
  return hutchinsonDiagonal(op, { numSamples: opts.numSamples ?? 100, seed: opts.seed ?? 0 });
}

export interface DensityOptions {
  numProbes?: number;
  lanczosSteps?: number;
  seed?: number;
  /** Evaluate a Gaussian-smoothed density on this many points spanning the Ritz values (default 200). */
  gridSize?: number;
  /** Gaussian width (default 1% of the spectral range). */
  sigma?: number;
}

/** Spectral density by SLQ: Ritz nodes/weights and a smoothed density on a grid (∫density ≈ 1). */
export function spectralDensity(op: LinearOperator, opts: DensityOptions = {}) {
  const r = slq(op, {
    numProbes: opts.numProbes ?? 10,
    lanczosSteps: Math.min(opts.lanczosSteps ?? 30, op.shape[0]),
    seed: opts.seed ?? 0,
  });
  const nodes = Array.from(r.nodes.data);
  const weights = Array.from(r.weights.data);
  const lo = Math.min(...nodes);
  const hi = Math.max(...nodes);
  const span = hi - lo || Math.max(1, Math.abs(hi));
  const sigma = opts.sigma ?? 0.01 * span;
  const m = opts.gridSize ?? 200;
  const grid: number[] = [];
  const density: number[] = [];
  for (let i = 0; i < m; i++) {
    const t = lo - 0.1 * span + (1.2 * span * i) / Math.max(1, m - 1);
    let d = 0;
    for (let j = 0; j < nodes.length; j++) d += weights[j]! * Math.exp(-0.5 * ((t - nodes[j]!) / sigma) ** 2);
    grid.push(t);
    density.push(d / (sigma * Math.sqrt(2 * Math.PI)));
  }
  return { nodes, weights, grid, density };
}

export interface StabilityReport {
  lambdaMax: number;
  trace: number;
  learningRate: number;
  /** 2/η, the stability threshold of GD on a quadratic. */
  threshold: number;
  /** η·λ_max/2: > 1 means GD is past the edge of stability. */
  sharpnessRatio: number;
  gdStable: boolean;
  /** tr H ≤ 2/η, the (sufficient) linear-stability check for SGD with batch noise (Wu, Ma & E 2018). */
  sgdStable: boolean;
  lanczosConverged: boolean;
}

/** Compares the sharpness of f at x with the step size η. */
export function stabilityReport(
  f: (x: any) => Tensor,
  x: unknown,
  opts: { learningRate: number; seed?: number; numSamples?: number },
): StabilityReport {
  const eta = opts.learningRate;
  if (!(eta > 0 && Number.isFinite(eta))) throw new ValueError(`stabilityReport: learningRate must be > 0, got ${eta}`);
  const H = hessianOperator(f, x);
  const top = topEigenvalues(H, 1, { seed: opts.seed ?? 0 });
  const tr = traceEstimate(H, { method: "hutch++", numSamples: opts.numSamples ?? 60, seed: opts.seed ?? 0 });
  const lambdaMax = top.values[0]!;
  return {
    lambdaMax,
    trace: tr.estimate,
    learningRate: eta,
    threshold: 2 / eta,
    sharpnessRatio: (eta * lambdaMax) / 2,
    gdStable: lambdaMax <= 2 / eta,
    sgdStable: tr.estimate <= 2 / eta,
    lanczosConverged: top.converged,
  };
}

/** ‖P_k ∇f‖²/‖∇f‖², P_k the projector on the top-k Hessian eigenvectors (1 = gradient inside the subspace). */
export function gradientHessianOverlap(f: (x: any) => Tensor, x: unknown, k: number, opts: { seed?: number } = {}) {
  const view = flatView(x, "gradientHessianOverlap");
  const g = Float64Array.from(
    (valueAndGrad((t: Tensor) => f(view.splitT(t)))(fromData(Float64Array.from(view.x0), [view.n]))[1] as Tensor).data,
  );
  const top = topEigenvalues(hessianOperator(f, x), k, { seed: opts.seed ?? 0 });
  const V = top.vectors.data;
  let gg = 0;
  for (const v of g) gg += v * v;
  if (gg === 0) return { overlap: 0, eigenvalues: top.values };
  let proj = 0;
  for (let j = 0; j < k; j++) {
    let c = 0;
    for (let i = 0; i < view.n; i++) c += V[i * k + j]! * g[i]!;
    proj += c * c;
  }
  return { overlap: proj / gg, eigenvalues: top.values };
}
