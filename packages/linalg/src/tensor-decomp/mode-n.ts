// Mode-n unfolding, folding and the n-mode product, with the index convention of Kolda & Bader,
// "Tensor decompositions and applications", SIAM Review 51 (2009), §2.4–2.5: the mode-n fibres are
// the columns of X_(n), the remaining indices ordered with the first varying fastest. All three are
// permutations/reshapes/matmuls of @x/tensor ops, hence differentiable.
import { asTensor, matmul, reshape, ShapeError, type Tensor, type TensorLike, transpose } from "@x/tensor";

/** Normalises `mode` (negative counts from the end) and checks it against the tensor's order. */
export function checkMode(mode: number, order: number, fn: string): number {
  if (!Number.isInteger(mode) || mode < -order || mode >= order) {
    throw new ShapeError(`${fn}: mode must be an integer in [${-order}, ${order - 1}], got ${mode}`);
  }
  return mode < 0 ? mode + order : mode;
}

/** [mode, other modes in decreasing order]: a C-order reshape of that permutation is Kolda's unfolding. */
const perm = (order: number, mode: number): number[] => [
  mode,
  ...Array.from({ length: order }, (_, i) => order - 1 - i).filter((i) => i !== mode),
];

/** Mode-n unfolding X_(n) of x [I_0, …, I_{N−1}] → [I_n, Π_{k≠n} I_k]. */
export function unfold(x: TensorLike, mode: number): Tensor {
  const X = asTensor(x, "x");
  if (X.rank < 1) throw new ShapeError(`unfold: x must have at least one axis, got shape [${X.shape}]`);
  const n = checkMode(mode, X.rank, "unfold");
  return reshape(transpose(X, perm(X.rank, n)), [X.shape[n]!, -1]);
}

/** Inverse of unfold: m [I_n, Π_{k≠n} I_k] back to a tensor of `shape`. */
export function fold(m: TensorLike, mode: number, shape: readonly number[]): Tensor {
  const M = asTensor(m, "m");
  const n = checkMode(mode, shape.length, "fold");
  const size = shape.reduce((p, d) => p * d, 1);
  if (M.rank !== 2 || M.shape[0] !== shape[n] || M.size !== size) {
    throw new ShapeError(
      `fold: m must be [${shape[n]}, ${size / Math.max(1, shape[n]!)}] for shape [${shape}], got [${M.shape}]`,
    );
  }
  const p = perm(shape.length, n);
  const inv = new Array<number>(p.length);
  p.forEach((ax, i) => {
    inv[ax] = i;
  });
  return transpose(
    reshape(
      M,
      p.map((ax) => shape[ax]!),
    ),
    inv,
  );
}

/** n-mode product X ×_n M: every mode-n fibre multiplied by m [J, I_n]; the result has J at axis n. */
export function modeNProduct(x: TensorLike, m: TensorLike, mode: number): Tensor {
  const X = asTensor(x, "x");
  const M = asTensor(m, "m");
  const n = checkMode(mode, X.rank, "modeNProduct");
  if (M.rank !== 2 || M.shape[1] !== X.shape[n]) {
    throw new ShapeError(
      `modeNProduct: m must be [J, ${X.shape[n]}] to act on mode ${n} of x [${X.shape}], got [${M.shape}]`,
    );
  }
  const shape = [...X.shape];
  shape[n] = M.shape[0]!;
  return fold(matmul(M, unfold(X, n)), n, shape);
}

/** X ×_0 M_0 ×_1 M_1 … over the given factors (transposed when `transposed`); null skips a mode. */
export function multiModeProduct(x: TensorLike, ms: readonly (Tensor | null)[], transposed = false): Tensor {
  let y = asTensor(x, "x");
  ms.forEach((m, k) => {
    if (m) y = modeNProduct(y, transposed ? transpose(m) : m, k);
  });
  return y;
}
