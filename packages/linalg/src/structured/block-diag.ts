// Block-diagonal operator diag(B_1, …, B_k): matvec splits v into the blocks' column ranges and
// concatenates the blocks' products, so no dense n×n matrix is formed (e.g. K-FAC/Shampoo
// per-layer curvature blocks; Martens & Grosse 2015).
import {
  add,
  asTensor,
  concat,
  LinearOperator,
  pad,
  ShapeError,
  slice,
  type Tensor,
  type TensorLike,
  ValueError,
} from "@x/tensor";

/** diag(blocks) as a LinearOperator; each block is a LinearOperator or a dense matrix. */
export function blockDiagOperator(blocks: readonly (LinearOperator | TensorLike)[]): LinearOperator {
  if (blocks.length === 0) throw new ValueError("blockDiagOperator: blocks must hold at least one block");
  const ops = blocks.map((b, i) => {
    if (b instanceof LinearOperator) return b;
    const t = asTensor(b, `blocks[${i}]`);
    if (t.rank !== 2) throw new ShapeError(`blockDiagOperator: blocks[${i}] must be a matrix, got shape [${t.shape}]`);
    return LinearOperator.fromDense(t);
  });
  const rows = ops.map((o) => o.shape[0]);
  const cols = ops.map((o) => o.shape[1]);
  const sumOf = (xs: number[]) => xs.reduce((p, x) => p + x, 0);
  const [m, n] = [sumOf(rows), sumOf(cols)];
  const split = (v: Tensor, sizes: number[]) => {
    let off = 0;
    return sizes.map((s) => {
      const part = slice(v, [[off, off + s]]);
      off += s;
      return part;
    });
  };
  const allR = ops.every((o) => o.hasRmatvec);
  return new LinearOperator(
    [m, n],
    (v) =>
      concat(
        split(v, cols).map((p, i) => ops[i]!.matvec(p)),
        0,
      ),
    {
      symmetric: ops.every((o) => o.symmetric),
      ...(allR
        ? {
            rmatvec: (v: Tensor) =>
              concat(
                split(v, rows).map((p, i) => ops[i]!.rmatvec(p)),
                0,
              ),
          }
        : {}),
      toDense: () => {
        let r0 = 0;
        let c0 = 0;
        const parts = ops.map((o, i) => {
          const d = pad(o.toDense(), [
            [r0, m - r0 - rows[i]!],
            [c0, n - c0 - cols[i]!],
          ]);
          r0 += rows[i]!;
          c0 += cols[i]!;
          return d;
        });
        return parts.reduce((acc, d) => add(acc, d));
      },
    },
  );
}
