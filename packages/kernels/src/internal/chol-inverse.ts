// (L·Lᵀ)⁻¹ from a lower Cholesky factor (LAPACK's potri): L⁻¹ by recursive 2×2 blocking,
// [[A, 0], [B, C]]⁻¹ = [[A⁻¹, 0], [−C⁻¹·B·A⁻¹, C⁻¹]], so almost all flops run in @x/tensor's SIMD matmul;
// small blocks by row-wise forward substitution. Then L⁻ᵀ·L⁻¹ by one more matmul. Float64 fast path for the LML
// gradient (not differentiable).
import { add, concat, fromData, matmul, mul, slice, type Tensor, transpose, zeros } from "@x/tensor";

const BASE = 96;

function smallInverse(l: Tensor): Tensor {
  const n = l.shape[0]!;
  const L = l.data;
  // Row i of M = L⁻¹ from L·M = I: M[i,:] = (eᵢ − Σ_{k<i} L[i][k]·M[k,:]) / L[i][i] — contiguous row updates.
  const M = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let k = 0; k < i; k++) {
      const lik = L[ri + k]!;
      if (lik === 0) continue;
      const rk = k * n;
      for (let j = 0; j <= k; j++) M[ri + j] = M[ri + j]! - lik * M[rk + j]!;
    }
    const inv = 1 / L[ri + i]!;
    for (let j = 0; j < i; j++) M[ri + j] = M[ri + j]! * inv;
    M[ri + i] = inv;
  }
  return fromData(M, [n, n]);
}

/** Inverse of a lower-triangular matrix. */
export function lowerInverse(l: Tensor): Tensor {
  const n = l.shape[0]!;
  if (n <= BASE) return smallInverse(l);
  const h = n >> 1;
  const A = lowerInverse(
    slice(l, [
      [0, h],
      [0, h],
    ]),
  );
  const C = lowerInverse(
    slice(l, [
      [h, n],
      [h, n],
    ]),
  );
  const B = mul(
    -1,
    matmul(
      C,
      matmul(
        slice(l, [
          [h, n],
          [0, h],
        ]),
        A,
      ),
    ),
  );
  const top = concat([A, zeros([h, n - h])], 1);
  const bottom = concat([B, C], 1);
  return concat([top, bottom], 0);
}

/**
 * MᵀM for lower-triangular M (LAPACK's lauum), recursively: M = [[A, 0], [B, C]] gives
 * MᵀM = [[AᵀA + BᵀB, BᵀC], [CᵀB, CᵀC]] — about a third of the flops of a full product.
 */
export function lowerGram(m: Tensor): Tensor {
  const n = m.shape[0]!;
  if (n <= BASE) return matmul(transpose(m), m);
  const h = n >> 1;
  const A = slice(m, [
    [0, h],
    [0, h],
  ]);
  const B = slice(m, [
    [h, n],
    [0, h],
  ]);
  const C = slice(m, [
    [h, n],
    [h, n],
  ]);
  const Bt = transpose(B);
  const tl = add(lowerGram(A), matmul(Bt, B));
  const tr = matmul(Bt, C);
  return concat([concat([tl, tr], 1), concat([transpose(tr), lowerGram(C)], 1)], 0);
}

export function choleskyInverse(l: Tensor): Tensor {
  return lowerGram(lowerInverse(l));
}
