// Closed-form log marginal likelihood gradient of a GP with an (ARD) RBF kernel k = σ² exp(−½ Σₖ (xₖ − x'ₖ)²/ℓₖ²)
// (Rasmussen & Williams 2006, eq. 5.9): ∂L/∂θ = ½ tr((ααᵀ − K⁻¹) ∂K/∂θ) with ∂K/∂log σ² = K and
// ∂K/∂log ℓₖ = K ∘ Dₖ, Dₖ,ᵢⱼ = (xᵢₖ − xⱼₖ)²/ℓₖ². Everything that the general path does with tensors and a reverse pass
// is fused into Float64Array loops over the upper triangle (both the Gram build and the gradient are symmetric):
// O(n²d) for the Gram matrix and the gradient, plus one Cholesky (@x/linalg) and one potri (./chol-inverse.ts).
// Same values as the autodiff path to rounding; checked against it in test/gp-fast.test.ts.
import { choleskySolve } from "@x/linalg";
import { fromData, reshape, ShapeError, type Tensor, tensor } from "@x/tensor";
import { choleskyJitter, type JitterOptions } from "../jitter.js";
import type { Params } from "../kernel.js";
import { choleskyInverse, type PotriWorkspace, potriWorkspace } from "./chol-inverse.js";
import { mirrorUpperToLower } from "./mirror.js";

const LOG_2PI = Math.log(2 * Math.PI);

export interface RbfLmlResult {
  value: number;
  /** ∂L/∂ log σ² (scalar tensor) and ∂L/∂ log ℓ in the shape of params.logLengthscale. */
  gradLogVariance: Tensor;
  gradLogLengthscale: Tensor;
  gradLogNoise: Tensor;
  jitter: number;
}

/** Buffers of one evaluation for n points in d dimensions, reusable across the evaluations of a fit (fewer large
 * allocations, hence fewer full garbage collections, which external-memory pressure from n² buffers triggers). */
export interface RbfLmlWorkspace {
  readonly n: number;
  readonly d: number;
  readonly gram: Float64Array;
  readonly z: Float64Array;
  readonly row: Float64Array;
  readonly potri: PotriWorkspace;
}

export function rbfLmlWorkspace(n: number, d: number): RbfLmlWorkspace {
  return {
    n,
    d,
    gram: new Float64Array(n * n),
    z: new Float64Array(n * d),
    row: new Float64Array(n),
    potri: potriWorkspace(n),
  };
}

/**
 * log p(y | x, θ) and its exact gradient for k = rbf (params { logLengthscale, logVariance }) plus noise σₙ² = exp(logNoise),
 * for x [n, d] and y [n].
 */
export function rbfLmlAndGrad(
  params: Params,
  x: Tensor,
  y: Tensor,
  logNoise: number,
  where: string,
  jitterOpts: JitterOptions,
  workspace?: RbfLmlWorkspace,
): RbfLmlResult {
  const n = x.shape[0]!;
  const d = x.shape[1]!;
  // Every buffer is fully overwritten below before it is read.
  const ws = workspace?.n === n && workspace.d === d ? workspace : rbfLmlWorkspace(n, d);
  const lsT = params.logLengthscale!;
  const ard = lsT.rank === 1 && lsT.shape[0] !== 1;
  if (ard && lsT.shape[0] !== d) {
    throw new ShapeError(`rbf: ${lsT.shape[0]} ARD lengthscales but the inputs have ${d} features`);
  }
  const lsD = lsT.data;
  const ell = new Float64Array(d);
  for (let k = 0; k < d; k++) ell[k] = Math.exp(lsD[ard ? k : 0]!);
  const logVar = params.logVariance!.item();
  const noise = Math.exp(logNoise);

  // Scaled inputs z = x / ℓ (the same division as the general path), stored feature-major so that the loops over j
  // below run over contiguous memory with scalar accumulators.
  const xd = x.data;
  const z = ws.z;
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) z[k * n + i] = xd[i * d + k]! / ell[k]!;

  // Gram matrix K + σₙ²I: the upper triangle row by row (r² accumulated feature by feature), then mirrored
  // (the Cholesky reads both halves).
  const kDiag = Math.exp(logVar);
  const K = ws.gram;
  const row = ws.row;
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    row.fill(0, i + 1);
    for (let k = 0; k < d; k++) {
      const zk = k * n;
      const zik = z[zk + i]!;
      for (let j = i + 1; j < n; j++) {
        const t = zik - z[zk + j]!;
        row[j] = row[j]! + t * t;
      }
    }
    K[ri + i] = kDiag + noise;
    for (let j = i + 1; j < n; j++) K[ri + j] = Math.exp(logVar + -0.5 * row[j]!);
  }
  mirrorUpperToLower(K, n);

  const { l, jitter } = choleskyJitter(fromData(K, [n, n]), where, jitterOpts);
  const a = choleskySolve(l, y).data;
  const yd = y.data;
  const ld = l.data;
  let yAlpha = 0;
  let logDiag = 0;
  for (let i = 0; i < n; i++) {
    yAlpha += yd[i]! * a[i]!;
    logDiag += Math.log(ld[i * n + i]!);
  }
  const value = -0.5 * yAlpha - logDiag - 0.5 * n * LOG_2PI;

  // dL = ⟨W, dK⟩ with W = ½(ααᵀ − K⁻¹). Off-diagonal pairs appear twice (W and dK are symmetric), cancelling the ½;
  // on the diagonal Dₖ = 0, so only σ² and σₙ² see it.
  const Kinv = choleskyInverse(l, ws.potri);
  const gl = new Float64Array(d);
  let gVar = 0;
  let trW = 0;
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    const ai = a[i]!;
    const wii = 0.5 * (ai * ai - Kinv[ri + i]!);
    trW += wii;
    gVar += wii * kDiag;
    // row[j] = K_ij·(αᵢαⱼ − K⁻¹ᵢⱼ) for j > i: the weight of ∂K_ij in dL (twice ½).
    let sv = 0;
    for (let j = i + 1; j < n; j++) {
      const p = K[ri + j]! * (ai * a[j]! - Kinv[ri + j]!);
      row[j] = p;
      sv += p;
    }
    gVar += sv;
    for (let k = 0; k < d; k++) {
      const zk = k * n;
      const zik = z[zk + i]!;
      let acc = 0;
      for (let j = i + 1; j < n; j++) {
        const t = zik - z[zk + j]!;
        acc += row[j]! * t * t;
      }
      gl[k] = gl[k]! + acc;
    }
  }
  let gradLogLengthscale: Tensor;
  if (ard) gradLogLengthscale = fromData(gl, [d]);
  else {
    let s = 0;
    for (let k = 0; k < d; k++) s += gl[k]!;
    gradLogLengthscale = lsT.rank === 0 ? tensor(s) : tensor([s]);
  }
  return {
    value,
    gradLogVariance: reshape(tensor(gVar), params.logVariance!.shape),
    gradLogLengthscale,
    gradLogNoise: tensor(trW * noise),
    jitter,
  };
}
