// LinearOperator: a matrix known only through products, as in scipy.sparse.linalg.LinearOperator.
// CG, Lanczos, HVPs, kernel matrices, implicit differentiation and bound propagation all take one.
// Products are written with tensor ops, so an operator built from differentiable pieces is itself
// differentiable.
import { ShapeError, ValueError } from "./errors.js";
import { add, mul } from "./ops/binary.js";
import { eye } from "./ops/creation.js";
import { matmul } from "./ops/matmul.js";
import { concat, reshape, slice, transpose } from "./ops/shape-ops.js";
import { fmtShape } from "./shape.js";
import { asTensor, fromF64, type Tensor, type TensorLike } from "./tensor.js";

export interface LinearOperatorOptions {
  /** Aᵀv; required for transpose() and rmatvec(). */
  rmatvec?: (v: Tensor) => Tensor;
  /** The diagonal, when cheaper than toDense(). */
  diag?: () => Tensor;
  /** The dense matrix, when cheaper than n matvecs. */
  toDense?: () => Tensor;
  /** Declares A = Aᵀ (rmatvec defaults to matvec). */
  symmetric?: boolean;
}

export class LinearOperator {
  readonly symmetric: boolean;
  private readonly opts: LinearOperatorOptions;

  constructor(
    readonly shape: readonly [number, number],
    private readonly mv: (v: Tensor) => Tensor,
    options: LinearOperatorOptions = {},
  ) {
    if (shape.length !== 2 || shape.some((d) => !Number.isInteger(d) || d < 0)) {
      throw new ShapeError(`LinearOperator: shape must be [rows, cols], got ${JSON.stringify(shape)}`);
    }
    this.symmetric = options.symmetric ?? false;
    if (this.symmetric && shape[0] !== shape[1]) {
      throw new ShapeError(`LinearOperator: a symmetric operator must be square, got ${fmtShape(shape)}`);
    }
    this.opts = options;
  }

  /** A wrapper around a dense matrix. */
  static fromDense(a: TensorLike, options: { symmetric?: boolean } = {}): LinearOperator {
    const m = asTensor(a, "a");
    if (m.rank !== 2) throw new ShapeError(`LinearOperator.fromDense: expected a matrix, got ${fmtShape(m.shape)}`);
    return new LinearOperator([m.shape[0]!, m.shape[1]!], (v) => matmul(m, v), {
      rmatvec: (v) => matmul(v, m),
      toDense: () => m,
      symmetric: options.symmetric ?? false,
    });
  }

  /** An operator from a matvec function. */
  static fromFunction(
    shape: readonly [number, number],
    matvec: (v: Tensor) => Tensor,
    options: LinearOperatorOptions = {},
  ): LinearOperator {
    return new LinearOperator(shape, matvec, options);
  }

  static identity(n: number): LinearOperator {
    return new LinearOperator([n, n], (v) => v, { symmetric: true, toDense: () => eye(n) });
  }

  /** diag(d) as an operator. */
  static diagonal(d: TensorLike): LinearOperator {
    const t = asTensor(d, "d");
    if (t.rank !== 1) throw new ShapeError(`LinearOperator.diagonal: expected a vector, got ${fmtShape(t.shape)}`);
    return new LinearOperator([t.size, t.size], (v) => mul(t, v), { symmetric: true, diag: () => t });
  }

  private checkVec(v: TensorLike, n: number, what: string): Tensor {
    const t = asTensor(v, "v");
    if (t.rank !== 1 || t.size !== n) {
      throw new ShapeError(`LinearOperator.${what}: expected a vector of length ${n}, got ${fmtShape(t.shape)}`);
    }
    return t;
  }

  /** A·v for a vector of length cols. */
  matvec(v: TensorLike): Tensor {
    const out = this.mv(this.checkVec(v, this.shape[1], "matvec"));
    if (out.rank !== 1 || out.size !== this.shape[0]) {
      throw new ShapeError(
        `LinearOperator.matvec: matvec returned ${fmtShape(out.shape)}, expected [${this.shape[0]}]`,
      );
    }
    return out;
  }

  /** Aᵀ·v for a vector of length rows. */
  rmatvec(v: TensorLike): Tensor {
    const t = this.checkVec(v, this.shape[0], "rmatvec");
    if (this.opts.rmatvec) return this.opts.rmatvec(t);
    if (this.symmetric) return this.mv(t);
    throw new ValueError("LinearOperator.rmatvec: this operator has no rmatvec (pass options.rmatvec)");
  }

  get hasRmatvec(): boolean {
    return this.opts.rmatvec !== undefined || this.symmetric;
  }

  /** A·V for V of shape [cols, k], one matvec per column. */
  matmat(v: TensorLike): Tensor {
    const t = asTensor(v, "V");
    if (t.rank !== 2 || t.shape[0] !== this.shape[1]) {
      throw new ShapeError(`LinearOperator.matmat: expected [${this.shape[1]}, k], got ${fmtShape(t.shape)}`);
    }
    const k = t.shape[1]!;
    if (this.opts.toDense) return matmul(this.opts.toDense(), t);
    const cols = Array.from({ length: k }, (_, j) =>
      reshape(this.matvec(reshape(slice(t, [null, [j, j + 1]]), [-1])), [-1, 1]),
    );
    return k === 0 ? fromF64(new Float64Array(0), [this.shape[0], 0]) : concat(cols, 1);
  }

  /** The dense matrix (n matvecs unless the operator knows it). */
  toDense(): Tensor {
    if (this.opts.toDense) return this.opts.toDense();
    return this.matmat(eye(this.shape[1]));
  }

  /** The diagonal (from options.diag, else one matvec per column). */
  diag(): Tensor {
    if (this.opts.diag) return this.opts.diag();
    const n = Math.min(this.shape[0], this.shape[1]);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const e = new Float64Array(this.shape[1]);
      e[i] = 1;
      out[i] = this.matvec(fromF64(e, [this.shape[1]])).data[i]!;
    }
    return fromF64(out, [n]);
  }

  /** Aᵀ as an operator. */
  transpose(): LinearOperator {
    if (this.symmetric) return this;
    if (!this.opts.rmatvec) throw new ValueError("LinearOperator.transpose: this operator has no rmatvec");
    const dense = this.opts.toDense;
    return new LinearOperator([this.shape[1], this.shape[0]], this.opts.rmatvec, {
      rmatvec: this.mv,
      ...(dense ? { toDense: () => transpose(dense()) } : {}),
    });
  }

  /** A + B. */
  add(other: LinearOperator): LinearOperator {
    if (this.shape[0] !== other.shape[0] || this.shape[1] !== other.shape[1]) {
      throw new ShapeError(`LinearOperator.add: shapes ${fmtShape(this.shape)} and ${fmtShape(other.shape)} differ`);
    }
    const both = this.hasRmatvec && other.hasRmatvec;
    return new LinearOperator(this.shape, (v) => add(this.mv(v), other.matvec(v)), {
      symmetric: this.symmetric && other.symmetric,
      ...(both ? { rmatvec: (v: Tensor) => add(this.rmatvec(v), other.rmatvec(v)) } : {}),
    });
  }

  /** A·B (apply B first). */
  compose(other: LinearOperator): LinearOperator {
    if (this.shape[1] !== other.shape[0]) {
      throw new ShapeError(`LinearOperator.compose: ${fmtShape(this.shape)} · ${fmtShape(other.shape)} do not chain`);
    }
    const both = this.hasRmatvec && other.hasRmatvec;
    return new LinearOperator([this.shape[0], other.shape[1]], (v) => this.mv(other.matvec(v)), {
      ...(both ? { rmatvec: (v: Tensor) => other.rmatvec(this.rmatvec(v)) } : {}),
    });
  }

  /** α·A. */
  scale(alpha: number): LinearOperator {
    if (!Number.isFinite(alpha)) throw new ValueError(`LinearOperator.scale: alpha must be finite, got ${alpha}`);
    return new LinearOperator(this.shape, (v) => mul(this.mv(v), alpha), {
      symmetric: this.symmetric,
      ...(this.hasRmatvec ? { rmatvec: (v: Tensor) => mul(this.rmatvec(v), alpha) } : {}),
      ...(this.opts.diag ? { diag: () => mul(this.opts.diag!(), alpha) } : {}),
    });
  }
}
