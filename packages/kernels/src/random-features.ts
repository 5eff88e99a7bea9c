// Random Fourier features (Rahimi & Recht, "Random Features for Large-Scale Kernel Machines", NIPS 2007): by
// Bochner's theorem a shift-invariant k(x − y) = σ² E_ω[cos ωᵀ(x − y)], so φ(x) = σ/√D [cos Wx, sin Wx] gives
// φ(x)ᵀφ(y) → k(x, y). ω ~ N(0, diag(ℓ)⁻²) for RBF; for Matérn-ν the spectral density is a multivariate t with
// 2ν degrees of freedom (2ν must be an integer here: χ² draws as sums of squared normals). Orthogonal random
// features (Yu et al., "Orthogonal Random Features", NIPS 2016) replace Gaussian blocks by Q·S, Q orthogonal
// and S chi-distributed row norms: unbiased with lower variance.
import { qr } from "@x/linalg";
import {
  concat,
  cos,
  exp,
  fromData,
  matmul,
  mul,
  normal,
  rng,
  sin,
  split,
  type Tensor,
  type TensorLike,
  transpose,
  UnsupportedError,
  ValueError,
} from "@x/tensor";
import { asInputs, type Kernel } from "./kernel.js";
import { MaternKernel } from "./matern.js";
import { RbfKernel } from "./rbf.js";

export interface RandomFeaturesOptions {
  /** Number D of frequencies (2D features). */
  numFeatures: number;
  seed?: number;
  /** Orthogonal random features (RBF and Matérn). Default false. */
  orthogonal?: boolean;
}

export interface RandomFeatures {
  /** Frequencies W [D, d]. */
  frequencies: Tensor;
  /** Feature map φ(x) [n, 2D] with φ(x)ᵀφ(y) ≈ k(x, y). */
  features(x: TensorLike): Tensor;
}

export function randomFourierFeatures(kernel: Kernel, d: number, opts: RandomFeaturesOptions): RandomFeatures {
  const D = opts.numFeatures;
  if (!(Number.isInteger(D) && D >= 1))
    throw new ValueError(`randomFourierFeatures: numFeatures must be an integer ≥ 1, got ${D}`);
  if (!(Number.isInteger(d) && d >= 1))
    throw new ValueError(`randomFourierFeatures: d must be an integer ≥ 1, got ${d}`);
  let nu = Number.POSITIVE_INFINITY;
  if (kernel instanceof MaternKernel) {
    nu = kernel.nu;
    if (!Number.isInteger(2 * nu)) {
      throw new UnsupportedError(`randomFourierFeatures: Matérn ν must be a half-integer (2ν integer), got ${nu}`);
    }
  } else if (!(kernel instanceof RbfKernel)) {
    throw new UnsupportedError(`randomFourierFeatures: supports RBF and Matérn kernels, got ${kernel.name}`);
  }
  const ls = exp(kernel.params.logLengthscale!).data;
  if (ls.length !== 1 && ls.length !== d) {
    throw new ValueError(`randomFourierFeatures: ${ls.length} lengthscales but d = ${d}`);
  }
  const variance = Math.exp(kernel.params.logVariance!.item());
  const [kw, kchi] = split(rng(opts.seed ?? 0), 2);
  const base = opts.orthogonal ? orthogonalGaussian(kw!, D, d) : normal(kw!, [D, d]).data;
  const W = new Float64Array(D * d);
  // Student-t scaling for Matérn: ω = z / √(u/(2ν)), u ~ χ²_{2ν}.
  const chi = Number.isFinite(nu) ? normal(kchi!, [D, 2 * nu]).data : null;
  for (let i = 0; i < D; i++) {
    let s = 1;
    if (chi) {
      let u = 0;
      for (let j = 0; j < 2 * nu; j++) u += chi[i * 2 * nu + j]! ** 2;
      s = 1 / Math.sqrt(u / (2 * nu));
    }
    for (let j = 0; j < d; j++) W[i * d + j] = (base[i * d + j]! * s) / ls[ls.length === 1 ? 0 : j]!;
  }
  const frequencies = fromData(W, [D, d]);
  const scale = Math.sqrt(variance / D);
  return {
    frequencies,
    features(x: TensorLike) {
      const X = asInputs(x, "x");
      if (X.shape[1] !== d)
        throw new ValueError(`randomFourierFeatures.features: expected ${d} features, got ${X.shape[1]}`);
      const proj = matmul(X, transpose(frequencies));
      return mul(scale, concat([cos(proj), sin(proj)], 1));
    },
  };
}

/** D×d matrix of stacked d×d blocks Q·S (Q from QR of a Gaussian block, S = norms of fresh Gaussian rows). */
function orthogonalGaussian(key: ReturnType<typeof rng>, D: number, d: number): Float64Array {
  const blocks = Math.ceil(D / d);
  const keys = split(key, 2 * blocks);
  const out = new Float64Array(D * d);
  for (let b = 0; b < blocks; b++) {
    const q = qr(normal(keys[2 * b]!, [d, d])).q.data;
    const g = normal(keys[2 * b + 1]!, [d, d]).data;
    for (let i = 0; i < d && b * d + i < D; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += g[i * d + j]! ** 2;
      const norm = Math.sqrt(s);
      // Row i of Qᵀ (an orthonormal direction) times a χ_d length.
      for (let j = 0; j < d; j++) out[(b * d + i) * d + j] = q[j * d + i]! * norm;
    }
  }
  return out;
}
