// Linear optimal partial transport (LOPT) embedding: like LOT, but each measure ν (any mass) is
// matched to the reference μ₀ = Σ p₀ᵢ δ(xᵢ) by optimal partial transport with a price λ per unit of
// mass created or destroyed,
//   OPT_λ(μ₀, ν) = min_{γ ≥ 0, γ𝟙 ≤ p₀, γᵀ𝟙 ≤ q} ⟨C, γ⟩ + λ(|p₀| − |γ| + |q| − |γ|),   C = ‖x − y‖²,
// and embedded as (p̂ = γ𝟙, uᵢ = Σ_j γᵢⱼ yⱼ / p̂ᵢ − xᵢ, |ν⊥| = |q| − |γ|). The LOPT distance between two
// embeddings is  Σᵢ min(p̂¹ᵢ, p̂²ᵢ) · min(‖u¹ᵢ − u²ᵢ‖², 2λ) + λ‖p̂¹ − p̂²‖₁  (+ λ(|ν¹⊥| + |ν²⊥|) in the
// paper's full definition, optional here so that the default is 0 between identical embeddings).
// Method: Bai, Schmitzer, Thorpe & Kolouri, "Linear optimal partial transport embedding" (ICML 2023),
// whose reference code solves OPT_λ as a balanced EMD with one dummy point per side (real–real cost
// C − 2λ, dummy arcs free): a pair is matched only where it is cheaper than destroying and creating it.
import { fromData, ShapeError, type Tensor } from "@x/tensor";
import { emdArrays } from "./emd.js";
import { checkMarginal, checkPositive, marginalOrUniform, mat } from "./internal/validate.js";
import type { LotMeasure } from "./lot-embedding.js";

export interface LoptEmbedding {
  /** (n_ref, d) barycentric image T(xᵢ); xᵢ itself where no mass of xᵢ is transported. */
  map: Tensor;
  /** u = T(x) − x, (n_ref, d); zero where p̂ᵢ = 0. */
  displacement: Tensor;
  /** p̂ = γ𝟙 (n_ref): reference mass that is transported (≤ p₀). */
  transportedMass: Tensor;
  /** |p₀| − |γ|: reference mass destroyed. */
  destroyedMass: number;
  /** |ν⊥| = |q| − |γ|: mass of ν created (not reached from the reference). */
  createdMass: number;
  /** ⟨C, γ⟩ + λ(destroyedMass + createdMass): the OPT_λ(μ₀, ν) value. */
  cost: number;
  /** Whether the network simplex finished. */
  converged: boolean;
}

export interface LoptEmbeddingResult {
  embeddings: LoptEmbedding[];
  /** Reference weights p₀. */
  referenceWeights: Tensor;
  lambda: number;
}

export interface LoptEmbeddingOptions {
  /** Network-simplex iteration limit per measure (default 100000). */
  maxIter?: number;
}

/**
 * Optimal partial transport plan with creation/destruction price λ per unit mass (squared Euclidean
 * costs): the (n1, n2) plan γ of the dummy-point EMD.
 */
export function optimalPartialPlan(
  p0: Float64Array,
  q: Float64Array,
  C: Float64Array,
  lambda: number,
  maxIter = 100000,
): { plan: Float64Array; converged: boolean } {
  const n1 = p0.length;
  const n2 = q.length;
  let s0 = 0;
  let s1 = 0;
  for (const v of p0) s0 += v;
  for (const v of q) s1 += v;
  // Each side's dummy takes the other side's whole mass, so "transport nothing" is always feasible.
  const ae = new Float64Array(n1 + 1);
  const be = new Float64Array(n2 + 1);
  ae.set(p0);
  be.set(q);
  ae[n1] = s1;
  be[n2] = s0;
  const Ce = new Float64Array((n1 + 1) * (n2 + 1));
  for (let i = 0; i < n1; i++) for (let j = 0; j < n2; j++) Ce[i * (n2 + 1) + j] = C[i * n2 + j]! - 2 * lambda;
  const r = emdArrays(ae, be, Ce, maxIter, false);
  const plan = new Float64Array(n1 * n2);
  for (let i = 0; i < n1; i++) for (let j = 0; j < n2; j++) plan[i * n2 + j] = r.plan[i * (n2 + 1) + j]!;
  return { plan, converged: r.status === "optimal" };
}

/** LOPT embeddings of `measures` (any total masses) relative to `reference`, with mass price `lambda` > 0. */
export function loptEmbedding(
  reference: LotMeasure,
  measures: LotMeasure[],
  lambda: number,
  opts: LoptEmbeddingOptions = {},
): LoptEmbeddingResult {
  checkPositive(lambda, "lambda");
  const x = mat(reference.points, "reference.points");
  const n = x.rows;
  const d = x.cols;
  const p0 = marginalOrUniform(reference.weights, n, "reference.weights");
  checkMarginal(p0, "reference.weights");
  let s0 = 0;
  for (const v of p0) s0 += v;
  const embeddings = measures.map((m, k): LoptEmbedding => {
    const y = mat(m.points, `measures[${k}].points`);
    if (y.cols !== d) {
      throw new ShapeError(`measures[${k}].points has dimension ${y.cols}, the reference has ${d}`);
    }
    const ny = y.rows;
    const q = marginalOrUniform(m.weights, ny, `measures[${k}].weights`);
    const sq = checkMarginal(q, `measures[${k}].weights`);
    const C = new Float64Array(n * ny);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < ny; j++) {
        let s = 0;
        for (let c = 0; c < d; c++) s += (x.data[i * d + c]! - y.data[j * d + c]!) ** 2;
        C[i * ny + j] = s;
      }
    }
    const { plan: P, converged } = optimalPartialPlan(p0, q, C, lambda, opts.maxIter);
    const pHat = new Float64Array(n);
    const T = new Float64Array(n * d);
    const U = new Float64Array(n * d);
    let transported = 0;
    let cost = 0;
    for (let i = 0; i < n; i++) {
      let row = 0;
      for (let j = 0; j < ny; j++) {
        const g = P[i * ny + j]!;
        if (g === 0) continue;
        row += g;
        cost += g * C[i * ny + j]!;
        for (let c = 0; c < d; c++) T[i * d + c] = T[i * d + c]! + g * y.data[j * d + c]!;
      }
      pHat[i] = row;
      transported += row;
      for (let c = 0; c < d; c++) {
        // Untransported reference points stay put (zero displacement) instead of dividing by 0.
        T[i * d + c] = row > 0 ? T[i * d + c]! / row : x.data[i * d + c]!;
        U[i * d + c] = T[i * d + c]! - x.data[i * d + c]!;
      }
    }
    const destroyedMass = Math.max(0, s0 - transported);
    const createdMass = Math.max(0, sq - transported);
    return {
      map: fromData(T, [n, d]),
      displacement: fromData(U, [n, d]),
      transportedMass: fromData(pHat, [n]),
      destroyedMass,
      createdMass,
      cost: cost + lambda * (destroyedMass + createdMass),
      converged,
    };
  });
  return { embeddings, referenceWeights: fromData(Float64Array.from(p0), [n]), lambda };
}

export interface LoptDistanceOptions {
  /**
   * Also charge λ(|ν¹⊥| + |ν²⊥|) for the mass of each measure that the reference does not reach, as in
   * the paper's definition (then LOPT(ν, ν) = 2λ|ν⊥|). Default false, as in the authors' reference
   * code: a pseudo-metric on the embeddings with LOPT(ν, ν) = 0.
   */
  includeCreatedMass?: boolean;
}

/** LOPT distance between two embeddings made with the same reference and λ (a squared-cost quantity, like OPT_λ). */
export function loptDistance(
  e1: LoptEmbedding,
  e2: LoptEmbedding,
  lambda: number,
  opts: LoptDistanceOptions = {},
): number {
  checkPositive(lambda, "lambda");
  if (e1.displacement.shape.join() !== e2.displacement.shape.join()) {
    throw new ShapeError(
      `embeddings have displacements of shape [${e1.displacement.shape}] and [${e2.displacement.shape}]: use the same reference`,
    );
  }
  const n = e1.displacement.shape[0]!;
  const d = e1.displacement.shape[1] ?? 1;
  const u1 = e1.displacement.data;
  const u2 = e2.displacement.data;
  const p1 = e1.transportedMass.data;
  const p2 = e2.transportedMass.data;
  let transport = 0;
  let massDiff = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let c = 0; c < d; c++) s += (u1[i * d + c]! - u2[i * d + c]!) ** 2;
    // A pair further apart than 2λ is cheaper to destroy and recreate than to move.
    transport += Math.min(p1[i]!, p2[i]!) * Math.min(s, 2 * lambda);
    massDiff += Math.abs(p1[i]! - p2[i]!);
  }
  const created = opts.includeCreatedMass ? e1.createdMass + e2.createdMass : 0;
  return transport + lambda * (massDiff + created);
}
