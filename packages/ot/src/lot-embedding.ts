// Linear optimal transport (LOT) embedding: map each measure ν to the barycentric projection
// T_ν(x_i) = Σ_j P_ij y_j / a_i of the exact W₂ plan P from a fixed reference μ = Σ a_i δ(x_i), so
// that measures become vectors in L²(μ) and ‖T_ν − T_ν'‖_{L²(μ)} approximates W₂(ν, ν').
// Method: Wang, Slepčev, Basu, Ozolek & Rohde, "A linear optimal transportation framework for
// quantifying and visualizing variations in sets of images" (IJCV 2013).
import { fromData, ShapeError, type Tensor, type TensorLike } from "@x/tensor";
import { dist } from "./dist.js";
import { emd } from "./emd.js";
import { mat } from "./internal/validate.js";

export interface LotMeasure {
  /** (n, d) support points. */
  points: TensorLike;
  /** n weights (default uniform). */
  weights?: TensorLike;
}

export interface LotEmbeddingResult {
  /** One (n_ref, d) map T_ν per measure: the image of each reference point. */
  maps: Tensor[];
  /** T_ν(x_i) − x_i per measure. */
  displacements: Tensor[];
  /** Reference weights a (the L²(μ) metric). */
  referenceWeights: Tensor;
}

/** LOT embeddings of `measures` w.r.t. `reference` through barycentric projections of exact W₂ plans. */
export function lotEmbedding(reference: LotMeasure, measures: LotMeasure[]): LotEmbeddingResult {
  const x = mat(reference.points, "reference.points");
  const n = x.rows;
  const d = x.cols;
  const maps: Tensor[] = [];
  const displacements: Tensor[] = [];
  let a: Float64Array | undefined;
  measures.forEach((m, k) => {
    const y = mat(m.points, `measures[${k}].points`);
    if (y.cols !== d) {
      throw new ShapeError(`measures[${k}].points has dimension ${y.cols}, the reference has ${d}`);
    }
    const r = emd(reference.weights, m.weights, dist(reference.points, m.points));
    const P = r.plan.data;
    const rowMass = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < y.rows; j++) rowMass[i] = rowMass[i]! + P[i * y.rows + j]!;
    a ??= rowMass;
    const T = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      // A reference point of zero weight carries no plan: leave it in place rather than divide by 0.
      if (!(rowMass[i]! > 0)) for (let c = 0; c < d; c++) T[i * d + c] = x.data[i * d + c]!;
      else
        for (let j = 0; j < y.rows; j++) {
          const w = P[i * y.rows + j]! / rowMass[i]!;
          if (w === 0) continue;
          for (let c = 0; c < d; c++) T[i * d + c] = T[i * d + c]! + w * y.data[j * d + c]!;
        }
    }
    maps.push(fromData(T, [n, d]));
    displacements.push(
      fromData(
        T.map((t, q) => t - x.data[q]!),
        [n, d],
      ),
    );
  });
  const w = a ?? new Float64Array(n).fill(1 / n);
  return { maps, displacements, referenceWeights: fromData(w, [n]) };
}

/** LOT distance ‖T₁ − T₂‖_{L²(μ)} = sqrt(Σ_i a_i ‖T₁(x_i) − T₂(x_i)‖²) between two embeddings. */
export function lotDistance(T1: Tensor, T2: Tensor, referenceWeights: Tensor): number {
  if (T1.shape.join() !== T2.shape.join() || T1.shape[0] !== referenceWeights.shape[0]) {
    throw new ShapeError(
      `T1 [${T1.shape}], T2 [${T2.shape}] and referenceWeights [${referenceWeights.shape}] do not match`,
    );
  }
  const n = T1.shape[0]!;
  const d = T1.shape[1] ?? 1;
  let s = 0;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < d; c++) s += referenceWeights.data[i]! * (T1.data[i * d + c]! - T2.data[i * d + c]!) ** 2;
  }
  return Math.sqrt(s);
}
