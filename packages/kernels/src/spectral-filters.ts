// Spectral regularisation of kernel least squares (Gerfo, Rosasco, Odone, De Vito & Verri, "Spectral Algorithms for
// Supervised Learning", Neural Computation 2008): with K = U diag(σ) Uᵀ computed once, every estimator is
// α = U g(σ) Uᵀ y for a filter g — ridge g = 1/(σ + λ), Landweber (t steps of gradient descent on ½‖Kα − y‖²_K⁻¹, i.e.
// α ← α + η(y − Kα)) g = (1 − (1 − ησ)ᵗ)/σ, spectral cut-off g = 1/σ for σ ≥ λ, else 0. Changing λ or t is O(n²).
import { eigh } from "@x/linalg";
import { fromData, matmul, type Tensor, type TensorLike, transpose, ValueError } from "@x/tensor";
import { asInputs, checkSameDim, type Kernel } from "./kernel.js";
import { asTargets } from "./kernel-ridge.js";

export type SpectralFilterSpec =
  | { filter: "ridge"; lambda: number }
  | { filter: "landweber"; steps: number; stepSize?: number }
  | { filter: "cutoff"; lambda: number };

/** The filter function g(σ) of a spec (σ ≥ 0 an eigenvalue of K). */
export function filterFunction(spec: SpectralFilterSpec, sigmaMax: number): (s: number) => number {
  switch (spec.filter) {
    case "ridge": {
      const { lambda } = spec;
      if (!(Number.isFinite(lambda) && lambda > 0))
        throw new ValueError(`spectral filter ridge: lambda must be > 0, got ${lambda}`);
      return (s) => 1 / (s + lambda);
    }
    case "cutoff": {
      const { lambda } = spec;
      if (!(Number.isFinite(lambda) && lambda > 0))
        throw new ValueError(`spectral filter cutoff: lambda must be > 0, got ${lambda}`);
      return (s) => (s >= lambda ? 1 / s : 0);
    }
    case "landweber": {
      const t = spec.steps;
      if (!(Number.isInteger(t) && t >= 0))
        throw new ValueError(`spectral filter landweber: steps must be an integer ≥ 0, got ${t}`);
      // Default η = 1/σ_max keeps |1 − ησ| ≤ 1 (convergent iteration).
      const eta = spec.stepSize ?? 1 / Math.max(sigmaMax, Number.MIN_VALUE);
      if (!(eta > 0 && eta * sigmaMax < 2)) {
        throw new ValueError(
          `spectral filter landweber: stepSize must be in (0, 2/σ_max = ${2 / sigmaMax}), got ${eta}`,
        );
      }
      // (1 − (1 − ησ)ᵗ)/σ = η Σ_{j<t} (1 − ησ)ʲ, summed directly near σ = 0 to avoid cancellation.
      return (s) => {
        const q = 1 - eta * s;
        if (Math.abs(eta * s) < 1e-8) return eta * t;
        return (1 - q ** t) / s;
      };
    }
    default:
      throw new ValueError(`spectral filter: unknown filter ${(spec as { filter: string }).filter}`);
  }
}

/** One eigendecomposition of the Gram matrix, reused by every filter. */
export class SpectralFilters {
  readonly values: Tensor;
  readonly vectors: Tensor;
  private readonly uty: Tensor;
  constructor(
    readonly kernel: Kernel,
    readonly x: Tensor,
    readonly y: Tensor,
  ) {
    const { values, vectors } = eigh(kernel.k(x));
    this.values = values;
    this.vectors = vectors;
    this.uty = matmul(transpose(vectors), y);
  }

  /** Dual coefficients α = U g(σ) Uᵀ y. */
  coefficients(spec: SpectralFilterSpec): Tensor {
    const sig = this.values.data;
    const n = sig.length;
    const g = filterFunction(spec, Math.max(0, sig[n - 1]!));
    const u = this.uty.data;
    const k = this.y.rank === 2 ? this.y.shape[1]! : 1;
    const out = new Float64Array(u.length);
    // Clamp tiny negative eigenvalues (round-off of a PSD Gram) to 0.
    for (let i = 0; i < n; i++) {
      const gi = g(Math.max(0, sig[i]!));
      for (let j = 0; j < k; j++) out[i * k + j] = gi * u[i * k + j]!;
    }
    return matmul(this.vectors, fromData(out, this.uty.shape));
  }

  predict(xs: TensorLike, spec: SpectralFilterSpec): Tensor {
    const Xs = asInputs(xs, "xs");
    checkSameDim(this.x, Xs, "spectralFilters.predict");
    return matmul(this.kernel.k(Xs, this.x), this.coefficients(spec));
  }
}

export function spectralFilters(kernel: Kernel, x: TensorLike, y: TensorLike): SpectralFilters {
  const X = asInputs(x, "x");
  return new SpectralFilters(kernel, X, asTargets(y, X.shape[0]!, "spectralFilters"));
}
