// Input checks shared by every solver: they turn tensors, typed arrays or nested arrays into
// Float64Arrays and throw typed errors that name the argument and what was wrong.
import { asTensor, ShapeError, type Tensor, type TensorLike, ValueError } from "@x/tensor";

/** A dense matrix view: row-major values plus its shape. */
export interface Mat {
  data: Float64Array;
  rows: number;
  cols: number;
}

/** A 1-D vector as Float64Array (a copy is not made for tensors on cpu; treat it as read-only). */
export function vec(x: TensorLike, name: string): Float64Array {
  const t = asTensor(x, name);
  if (t.rank !== 1) throw new ShapeError(`${name} must be a 1-D vector, got shape [${t.shape.join(", ")}]`);
  return t.data;
}

/** A 2-D matrix with finite entries. */
export function mat(x: TensorLike, name: string): Mat {
  const t = asTensor(x, name);
  if (t.rank !== 2) throw new ShapeError(`${name} must be a 2-D matrix, got shape [${t.shape.join(", ")}]`);
  return { data: t.data, rows: t.shape[0]!, cols: t.shape[1]! };
}

/** Throws unless every entry of a cost matrix is finite. */
export function checkCost(m: Mat, name = "M"): void {
  const d = m.data;
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    if (!Number.isFinite(v)) {
      throw new ValueError(
        `${name} must be finite, found ${v} at (${Math.floor(i / m.cols)}, ${i % m.cols}) of a ${m.rows}×${m.cols} cost`,
      );
    }
  }
}

/** Throws unless a marginal has finite, non-negative entries and positive mass; returns its sum. */
export function checkMarginal(w: Float64Array, name: string): number {
  let s = 0;
  for (let i = 0; i < w.length; i++) {
    const v = w[i]!;
    if (Number.isNaN(v)) throw new ValueError(`${name} must not contain NaN (entry ${i})`);
    if (!Number.isFinite(v)) throw new ValueError(`${name} must be finite, found ${v} at entry ${i}`);
    if (v < 0) throw new ValueError(`${name} must be non-negative, found ${v} at entry ${i}`);
    s += v;
  }
  if (!(s > 0)) throw new ValueError(`${name} must have positive total mass, got ${s}`);
  return s;
}

/** Empty marginals mean uniform weights (POT's convention). */
export function marginalOrUniform(w: TensorLike | undefined, n: number, name: string): Float64Array {
  if (w === undefined || (Array.isArray(w) && w.length === 0)) return new Float64Array(n).fill(1 / n);
  const v = vec(w, name);
  if (v.length !== n) throw new ShapeError(`${name} has ${v.length} entries but M has ${n} along that axis`);
  return v;
}

/** Throws unless two masses agree to a relative tolerance (balanced OT); the message states both sums. */
export function checkEqualMass(sa: number, sb: number, tol = 1e-7): void {
  if (Math.abs(sa - sb) > tol * Math.max(sa, sb)) {
    throw new ValueError(
      `a and b must have the same total mass for balanced OT: sum(a) = ${sa}, sum(b) = ${sb} (use sinkhornUnbalanced or partialWasserstein for unequal masses)`,
    );
  }
}

/** Throws unless the regularisation is a finite positive number. */
export function checkPositive(v: number, name: string): void {
  if (!(typeof v === "number" && Number.isFinite(v) && v > 0)) {
    throw new ValueError(`${name} must be a finite number > 0, got ${v}`);
  }
}

/** Validates (a, b, M) for balanced OT; returns the arrays with b rescaled to a's mass exactly. */
export function balancedProblem(
  a: TensorLike | undefined,
  b: TensorLike | undefined,
  M: TensorLike,
): { a: Float64Array; b: Float64Array; M: Mat } {
  const m = mat(M, "M");
  checkCost(m);
  const av = marginalOrUniform(a, m.rows, "a");
  const bv = marginalOrUniform(b, m.cols, "b");
  const sa = checkMarginal(av, "a");
  const sb = checkMarginal(bv, "b");
  checkEqualMass(sa, sb);
  const bs = new Float64Array(bv.length);
  for (let j = 0; j < bv.length; j++) bs[j] = (bv[j]! * sa) / sb;
  return { a: av, b: bs, M: m };
}

/** Shape check of a matrix-valued tensor without reading its data. */
export function shapeOf(t: Tensor): string {
  return `[${t.shape.join(", ")}]`;
}
