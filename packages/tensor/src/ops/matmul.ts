// Matrix products. matmul is the primitive (batched, broadcasting); dot/outer/matvec reshape onto it.
import { bind } from "../autodiff/trace.js";
import { ShapeError } from "../errors.js";
import * as K from "../kernel-names.js";
import { broadcastShapes, fmtShape } from "../shape.js";
import { asTensor, type Tensor, type TensorLike } from "../tensor.js";
import { add, mul } from "./binary.js";
import { definePrimitive, sumTangents } from "./primitive.js";
import { sum, sumTo } from "./reduce.js";
import { mT, reshape } from "./shape-ops.js";

const MatMul = definePrimitive(K.MatMul, {
  jvp: ([a, b], [ta, tb]) => sumTangents(add, ta ? mm(ta, b!) : null, tb ? mm(a!, tb) : null),
  vjp: (g, [a, b], _o, _a, [na, nb]) => [
    na ? sumTo(mm(g, mT(b!)), a!.shape) : null,
    nb ? sumTo(mm(mT(a!), g), b!.shape) : null,
  ],
});

const mm = (a: Tensor, b: Tensor) => bind(MatMul, [a, b]);

/**
 * NumPy matmul: [..., m, k] @ [..., k, n] with batch broadcasting; a 1-D left operand is a row
 * vector and a 1-D right operand a column vector (the added axis is removed again).
 */
export function matmul(a: TensorLike, b: TensorLike): Tensor {
  let x = asTensor(a, "a");
  let y = asTensor(b, "b");
  if (x.rank === 0 || y.rank === 0) throw new ShapeError("matmul: scalar operands are not allowed; use mul");
  const vecA = x.rank === 1;
  const vecB = y.rank === 1;
  if (vecA) x = reshape(x, [1, x.size]);
  if (vecB) y = reshape(y, [y.size, 1]);
  const k = x.shape[x.rank - 1];
  if (k !== y.shape[y.rank - 2]) {
    throw new ShapeError(`matmul: inner dimensions differ: a ${fmtShape(x.shape)} @ b ${fmtShape(y.shape)}`);
  }
  const batch = broadcastShapes("matmul", x.shape.slice(0, -2), y.shape.slice(0, -2));
  let out = mm(x, y);
  if (vecA || vecB) {
    const s = [...batch];
    if (!vecA) s.push(x.shape[x.rank - 2]!);
    if (!vecB) s.push(y.shape[y.rank - 1]!);
    out = reshape(out, s);
  }
  return out;
}

/** Inner product of two vectors (sum of elementwise products for equal shapes). */
export function dot(a: TensorLike, b: TensorLike): Tensor {
  const x = asTensor(a, "a");
  const y = asTensor(b, "b");
  if (x.rank === 1 && y.rank === 1) {
    if (x.size !== y.size) throw new ShapeError(`dot: lengths differ: ${x.size} and ${y.size}`);
    return matmul(x, y);
  }
  return sum(mul(x, y));
}

/** Outer product of two vectors: out[i, j] = a[i]·b[j]. */
export function outer(a: TensorLike, b: TensorLike): Tensor {
  const x = asTensor(a, "a");
  const y = asTensor(b, "b");
  return mul(reshape(x, [x.size, 1]), reshape(y, [1, y.size]));
}
