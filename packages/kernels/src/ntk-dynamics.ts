// Mean prediction of an infinitely wide network trained by gradient flow on L = ½‖f(X) − y‖² with learning rate η
// (Lee et al., "Wide Neural Networks of Any Depth Evolve as Linear Models Under Gradient Descent", NeurIPS 2019,
// eq. 16, with f₀ averaged to 0): μ_t(x*) = Θ(x*, X) Θ⁻¹ (I − e^{−ηΘt}) y, through one eigendecomposition of
// Θ = U diag(λ) Uᵀ: Θ⁻¹(I − e^{−ηΘt}) = U diag((1 − e^{−ηλt})/λ) Uᵀ (→ ηt as λ → 0).
import { eigh } from "@x/linalg";
import { asTensor, fromData, matmul, ShapeError, type Tensor, type TensorLike, transpose, ValueError } from "@x/tensor";

export interface NtkPredictor {
  /** Mean predictions at time t [m] from the test–train kernel Θ(x*, X) [m, n]. */
  predict(kTestTrain: TensorLike, t: number): Tensor;
  /** Mean predictions on the training points at time t: (I − e^{−ηΘt}) y. */
  trainPredictions(t: number): Tensor;
}

export function ntkPredictor(kTrain: TensorLike, y: TensorLike, opts: { learningRate?: number } = {}): NtkPredictor {
  const K = asTensor(kTrain, "kTrain");
  const Y = asTensor(y, "y");
  const n = K.shape[0]!;
  if (K.rank !== 2 || K.shape[1] !== n)
    throw new ShapeError(`ntkPredictor: kTrain must be square [n, n], got [${K.shape}]`);
  if (Y.rank !== 1 || Y.shape[0] !== n)
    throw new ShapeError(`ntkPredictor: y must be a vector of ${n} targets, got [${Y.shape}]`);
  const eta = opts.learningRate ?? 1;
  if (!(Number.isFinite(eta) && eta > 0)) throw new ValueError(`ntkPredictor: learningRate must be > 0, got ${eta}`);
  const { values, vectors } = eigh(K);
  const uty = matmul(transpose(vectors), Y).data;
  const lam = values.data;
  const coef = (t: number, g: (l: number) => number) => {
    if (!(Number.isFinite(t) ? t >= 0 : t === Number.POSITIVE_INFINITY)) {
      throw new ValueError(`ntkPredictor: t must be ≥ 0 (Infinity allowed), got ${t}`);
    }
    const c = new Float64Array(n);
    for (let i = 0; i < n; i++) c[i] = g(Math.max(0, lam[i]!)) * uty[i]!;
    return matmul(vectors, fromData(c, [n]));
  };
  const filt = (t: number) => (l: number) => {
    if (t === Number.POSITIVE_INFINITY) return l > 0 ? 1 / l : 0;
    const z = eta * l * t;
    return z < 1e-8 ? eta * t : -Math.expm1(-z) / l;
  };
  return {
    predict(kTestTrain: TensorLike, t: number) {
      const Ks = asTensor(kTestTrain, "kTestTrain");
      if (Ks.rank !== 2 || Ks.shape[1] !== n)
        throw new ShapeError(`ntkPredictor.predict: kTestTrain must be [m, ${n}], got [${Ks.shape}]`);
      return matmul(Ks, coef(t, filt(t)));
    },
    trainPredictions(t: number) {
      return matmul(K, coef(t, filt(t)));
    },
  };
}
