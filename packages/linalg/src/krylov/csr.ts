// Compressed sparse row (CSR) matrices, the storage of Saad, "Iterative Methods for Sparse Linear Systems"
// (2nd ed., SIAM 2003), §3.4. Index arrays are Int32Array and values Float64Array so SpMV stays a tight loop.
import { assertFinite, asTensor, LinearOperator, ShapeError, Tensor, type TensorLike, tensor } from "@x/tensor";

function checkShape(shape: readonly number[], fn: string): [number, number] {
  if (shape.length !== 2 || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new ShapeError(`${fn}: shape must be [rows, cols] of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  return [shape[0]!, shape[1]!];
}

function toNumbers(x: ArrayLike<number> | Tensor): ArrayLike<number> {
  return x instanceof Tensor ? x.data : x;
}

function vec(v: TensorLike, n: number, fn: string): Float64Array {
  const t = asTensor(v, "v");
  if (t.rank !== 1 || t.size !== n) {
    throw new ShapeError(`${fn}: v must be a vector of length ${n}, got shape [${t.shape.join(", ")}]`);
  }
  return t.data;
}

export class CsrMatrix {
  readonly shape: readonly [number, number];

  /** Raw CSR arrays: row i holds indices[indptr[i]..indptr[i+1]) (sorted, unique) and the matching values. */
  constructor(
    readonly indptr: Int32Array,
    readonly indices: Int32Array,
    readonly values: Float64Array,
    shape: readonly [number, number],
  ) {
    const [m, n] = checkShape(shape, "CsrMatrix");
    this.shape = [m, n];
    if (indptr.length !== m + 1 || indptr[0] !== 0 || indptr[m] !== indices.length) {
      throw new ShapeError(`CsrMatrix: indptr must have ${m + 1} entries from 0 to nnz=${indices.length}`);
    }
    if (values.length !== indices.length) {
      throw new ShapeError(`CsrMatrix: values (${values.length}) and indices (${indices.length}) differ in length`);
    }
    for (let i = 0; i < m; i++) {
      if (indptr[i + 1]! < indptr[i]!) throw new ShapeError(`CsrMatrix: indptr decreases at row ${i}`);
    }
    for (let i = 0; i < m; i++) {
      for (let k = indptr[i]!; k < indptr[i + 1]!; k++) {
        const j = indices[k]!;
        if (j < 0 || j >= n) throw new ShapeError(`CsrMatrix: column index ${j} out of range [0, ${n})`);
        // Sorted, duplicate-free rows let transpose, ic0 and symmetry checks merge rows in one pass.
        if (k > indptr[i]! && j <= indices[k - 1]!) {
          throw new ShapeError(`CsrMatrix: column indices of row ${i} must be strictly increasing`);
        }
      }
    }
    assertFinite(values, "CsrMatrix: values");
  }

  /** Builds from coordinate triplets (COO); duplicate (row, col) entries are summed, as in scipy.sparse. */
  static fromTriplets(
    rows: ArrayLike<number> | Tensor,
    cols: ArrayLike<number> | Tensor,
    vals: ArrayLike<number> | Tensor,
    shape: readonly [number, number],
  ): CsrMatrix {
    const [m, n] = checkShape(shape, "CsrMatrix.fromTriplets");
    const r = toNumbers(rows);
    const c = toNumbers(cols);
    const v = toNumbers(vals);
    if (r.length !== c.length || r.length !== v.length) {
      throw new ShapeError(
        `CsrMatrix.fromTriplets: rows, cols and vals must have equal lengths, got ${r.length}, ${c.length}, ${v.length}`,
      );
    }
    assertFinite(v, "CsrMatrix.fromTriplets: vals");
    const nz = r.length;
    const counts = new Int32Array(m + 1);
    for (let k = 0; k < nz; k++) {
      const i = r[k]!;
      const j = c[k]!;
      if (!Number.isInteger(i) || i < 0 || i >= m) {
        throw new ShapeError(`CsrMatrix.fromTriplets: rows[${k}] = ${i} is not an integer in [0, ${m})`);
      }
      if (!Number.isInteger(j) || j < 0 || j >= n) {
        throw new ShapeError(`CsrMatrix.fromTriplets: cols[${k}] = ${j} is not an integer in [0, ${n})`);
      }
      counts[i + 1]!++;
    }
    for (let i = 0; i < m; i++) counts[i + 1]! += counts[i]!;
    // Bucket by row, then sort each row by column and merge duplicates.
    const pos = counts.slice();
    const ci = new Int32Array(nz);
    const cv = new Float64Array(nz);
    for (let k = 0; k < nz; k++) {
      const p = pos[r[k]!]!++;
      ci[p] = c[k]!;
      cv[p] = v[k]!;
    }
    const indptr = new Int32Array(m + 1);
    const outI: number[] = [];
    const outV: number[] = [];
    for (let i = 0; i < m; i++) {
      const s = counts[i]!;
      const e = counts[i + 1]!;
      const order = Array.from({ length: e - s }, (_, t) => s + t).sort((a, b) => ci[a]! - ci[b]!);
      let last = -1;
      for (const p of order) {
        if (ci[p] === last) outV[outV.length - 1]! += cv[p]!;
        else {
          last = ci[p]!;
          outI.push(last);
          outV.push(cv[p]!);
        }
      }
      indptr[i + 1] = outI.length;
    }
    return new CsrMatrix(indptr, Int32Array.from(outI), Float64Array.from(outV), [m, n]);
  }

  /** Keeps the entries with |a_ij| > dropTol (default 0: every non-zero). */
  static fromDense(a: TensorLike, { dropTol = 0 }: { dropTol?: number } = {}): CsrMatrix {
    const t = asTensor(a, "a");
    if (t.rank !== 2)
      throw new ShapeError(`CsrMatrix.fromDense: a must be a matrix, got shape [${t.shape.join(", ")}]`);
    const [m, n] = [t.shape[0]!, t.shape[1]!];
    const d = t.data;
    assertFinite(d, "CsrMatrix.fromDense: a");
    const indptr = new Int32Array(m + 1);
    const idx: number[] = [];
    const val: number[] = [];
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        const x = d[i * n + j]!;
        if (Math.abs(x) > dropTol) {
          idx.push(j);
          val.push(x);
        }
      }
      indptr[i + 1] = idx.length;
    }
    return new CsrMatrix(indptr, Int32Array.from(idx), Float64Array.from(val), [m, n]);
  }

  get nnz(): number {
    return this.indices.length;
  }

  /** y = A·x on raw arrays (the SpMV kernel). */
  matvecInto(x: Float64Array, y: Float64Array): Float64Array {
    const { indptr, indices, values } = this;
    const m = this.shape[0];
    for (let i = 0; i < m; i++) {
      let s = 0;
      const e = indptr[i + 1]!;
      for (let k = indptr[i]!; k < e; k++) s += values[k]! * x[indices[k]!]!;
      y[i] = s;
    }
    return y;
  }

  /** y = Aᵀ·x on raw arrays (scatter by rows, no transpose built). */
  rmatvecInto(x: Float64Array, y: Float64Array): Float64Array {
    const { indptr, indices, values } = this;
    y.fill(0);
    const m = this.shape[0];
    for (let i = 0; i < m; i++) {
      const xi = x[i]!;
      const e = indptr[i + 1]!;
      for (let k = indptr[i]!; k < e; k++) y[indices[k]!]! += values[k]! * xi;
    }
    return y;
  }

  matvec(v: TensorLike): Tensor {
    const x = vec(v, this.shape[1], "CsrMatrix.matvec");
    return tensor(this.matvecInto(x, new Float64Array(this.shape[0])), [this.shape[0]]);
  }

  rmatvec(v: TensorLike): Tensor {
    const x = vec(v, this.shape[0], "CsrMatrix.rmatvec");
    return tensor(this.rmatvecInto(x, new Float64Array(this.shape[1])), [this.shape[1]]);
  }

  transpose(): CsrMatrix {
    const [m, n] = this.shape;
    const { indptr, indices, values } = this;
    const tp = new Int32Array(n + 1);
    for (let k = 0; k < indices.length; k++) tp[indices[k]! + 1]!++;
    for (let j = 0; j < n; j++) tp[j + 1]! += tp[j]!;
    const pos = tp.slice();
    const ti = new Int32Array(indices.length);
    const tv = new Float64Array(indices.length);
    // Rows are visited in order, so each transposed row comes out sorted.
    for (let i = 0; i < m; i++) {
      for (let k = indptr[i]!; k < indptr[i + 1]!; k++) {
        const p = pos[indices[k]!]!++;
        ti[p] = i;
        tv[p] = values[k]!;
      }
    }
    return new CsrMatrix(tp, ti, tv, [n, m]);
  }

  toDense(): Tensor {
    const [m, n] = this.shape;
    const out = new Float64Array(m * n);
    for (let i = 0; i < m; i++) {
      for (let k = this.indptr[i]!; k < this.indptr[i + 1]!; k++) out[i * n + this.indices[k]!]! += this.values[k]!;
    }
    return tensor(out, [m, n]);
  }

  /** The main diagonal (length min(rows, cols)); missing entries are 0. */
  diagonalData(): Float64Array {
    const p = Math.min(this.shape[0], this.shape[1]);
    const out = new Float64Array(p);
    for (let i = 0; i < p; i++) {
      for (let k = this.indptr[i]!; k < this.indptr[i + 1]!; k++) {
        if (this.indices[k] === i) out[i] = this.values[k]!;
      }
    }
    return out;
  }

  diagonal(): Tensor {
    const d = this.diagonalData();
    return tensor(d, [d.length]);
  }

  /** True when square and |a_ij − a_ji| ≤ tol·max|a| for every stored entry. */
  isSymmetric(tol = 0): boolean {
    if (this.shape[0] !== this.shape[1]) return false;
    const t = this.transpose();
    let scale = 0;
    for (let k = 0; k < this.values.length; k++) scale = Math.max(scale, Math.abs(this.values[k]!));
    const d = this.toDenseRowsDiff(t);
    return d <= tol * scale;
  }

  // max |A − B| over the union of patterns, row by row (both sorted).
  private toDenseRowsDiff(o: CsrMatrix): number {
    let worst = 0;
    for (let i = 0; i < this.shape[0]; i++) {
      let p = this.indptr[i]!;
      let q = o.indptr[i]!;
      const pe = this.indptr[i + 1]!;
      const qe = o.indptr[i + 1]!;
      while (p < pe || q < qe) {
        const jp = p < pe ? this.indices[p]! : Number.MAX_SAFE_INTEGER;
        const jq = q < qe ? o.indices[q]! : Number.MAX_SAFE_INTEGER;
        let d: number;
        if (jp === jq) d = this.values[p++]! - o.values[q++]!;
        else if (jp < jq) d = this.values[p++]!;
        else d = o.values[q++]!;
        worst = Math.max(worst, Math.abs(d));
      }
    }
    return worst;
  }

  /** A LinearOperator view (matvec, rmatvec, diag, toDense); pass symmetric: true to declare A = Aᵀ. */
  toOperator({ symmetric = false }: { symmetric?: boolean } = {}): LinearOperator {
    const [m, n] = this.shape;
    return new LinearOperator([m, n], (v) => tensor(this.matvecInto(v.data, new Float64Array(m)), [m]), {
      rmatvec: (v) => tensor(this.rmatvecInto(v.data, new Float64Array(n)), [n]),
      diag: () => this.diagonal(),
      toDense: () => this.toDense(),
      symmetric,
    });
  }
}
