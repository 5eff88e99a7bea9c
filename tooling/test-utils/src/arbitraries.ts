// fast-check arbitraries for numerical tests: shapes, tensors, broadcastable pairs and structured
// matrices (SPD, orthogonal, diagonally dominant, low rank), probability simplices, cost matrices.
import { type Tensor, tensor } from "@x/tensor";
import fc from "fast-check";

export interface ShapeOptions {
  minRank?: number;
  maxRank?: number;
  minDim?: number;
  maxDim?: number;
}

export function arbShape({ minRank = 0, maxRank = 3, minDim = 1, maxDim = 4 }: ShapeOptions = {}) {
  return fc.array(fc.integer({ min: minDim, max: maxDim }), { minLength: minRank, maxLength: maxRank });
}

export interface ValueOptions {
  min?: number;
  max?: number;
}

/** Finite doubles in [min, max], excluding −0 so results never hinge on the sign of zero. */
export function arbValue({ min = -3, max = 3 }: ValueOptions = {}) {
  return fc.double({ min, max, noNaN: true, noDefaultInfinity: true }).map((v) => (Object.is(v, -0) ? 0 : v));
}

export function arbValues(n: number, opts: ValueOptions = {}) {
  return fc.array(arbValue(opts), { minLength: n, maxLength: n });
}

/** A tensor of the given shape. */
export function arbTensorOf(shape: readonly number[], opts: ValueOptions = {}): fc.Arbitrary<Tensor> {
  const n = shape.reduce((a, b) => a * b, 1);
  return arbValues(n, opts).map((v) => tensor(Float64Array.from(v), shape));
}

/** A tensor of a random shape. */
export function arbTensor(shapeOpts: ShapeOptions = {}, opts: ValueOptions = {}): fc.Arbitrary<Tensor> {
  return arbShape(shapeOpts).chain((s) => arbTensorOf(s, opts));
}

/** Two shapes that broadcast together: a common shape with some axes set to 1 or dropped from the front. */
export function arbBroadcastShapes(opts: ShapeOptions = {}) {
  return arbShape({ minRank: 1, ...opts }).chain((s) =>
    fc
      .tuple(
        fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }),
        fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }),
        fc.integer({ min: 0, max: s.length }),
        fc.integer({ min: 0, max: s.length }),
      )
      .map(([m1, m2, d1, d2]) => {
        const a = s.map((d, i) => (m1[i] ? 1 : d)).slice(d1);
        const b = s.map((d, i) => (m2[i] && !m1[i] ? 1 : d)).slice(d2);
        return [a, b] as [number[], number[]];
      }),
  );
}

export function arbBroadcastablePair(opts: ShapeOptions = {}, values: ValueOptions = {}) {
  return arbBroadcastShapes(opts).chain(([sa, sb]) => fc.tuple(arbTensorOf(sa, values), arbTensorOf(sb, values)));
}

export function arbMatrix(m: number, n: number, opts: ValueOptions = {}): fc.Arbitrary<Tensor> {
  return arbTensorOf([m, n], opts);
}

/** B·Bᵀ + shift·I: symmetric positive definite with smallest eigenvalue ≥ shift. */
export function arbSPD(n: number, shift = 0.5): fc.Arbitrary<Tensor> {
  return arbValues(n * n, { min: -1, max: 1 }).map((b) => {
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += b[i * n + k]! * b[j * n + k]!;
        a[i * n + j] = s + (i === j ? shift : 0);
      }
    }
    return tensor(a, [n, n]);
  });
}

/** An orthogonal matrix: modified Gram–Schmidt on a random matrix (resampled if nearly singular). */
export function arbOrthogonal(n: number): fc.Arbitrary<Tensor> {
  return arbValues(n * n, { min: -1, max: 1 })
    .map((v) => {
      const q = Float64Array.from(v);
      for (let j = 0; j < n; j++) {
        for (let k = 0; k < j; k++) {
          let d = 0;
          for (let i = 0; i < n; i++) d += q[i * n + j]! * q[i * n + k]!;
          for (let i = 0; i < n; i++) q[i * n + j]! -= d * q[i * n + k]!;
        }
        let nn = 0;
        for (let i = 0; i < n; i++) nn += q[i * n + j]! ** 2;
        nn = Math.sqrt(nn);
        if (nn < 1e-3) return null;
        for (let i = 0; i < n; i++) q[i * n + j]! /= nn;
      }
      return tensor(q, [n, n]);
    })
    .filter((t): t is Tensor => t !== null);
}

/** Strictly diagonally dominant (|a_ii| > Σ_j≠i |a_ij| + margin): Jacobi and Gauss–Seidel converge. */
export function arbDiagDominant(n: number, margin = 0.5): fc.Arbitrary<Tensor> {
  return arbValues(n * n, { min: -1, max: 1 }).map((v) => {
    const a = Float64Array.from(v);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) if (j !== i) s += Math.abs(a[i * n + j]!);
      a[i * n + i] = (a[i * n + i]! >= 0 ? 1 : -1) * (s + margin);
    }
    return tensor(a, [n, n]);
  });
}

/** U·Vᵀ with U m×r, V n×r: rank ≤ r. */
export function arbLowRank(m: number, n: number, r: number): fc.Arbitrary<Tensor> {
  return fc.tuple(arbValues(m * r, { min: -1, max: 1 }), arbValues(n * r, { min: -1, max: 1 })).map(([u, v]) => {
    const a = new Float64Array(m * n);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < r; k++) s += u[i * r + k]! * v[j * r + k]!;
        a[i * n + j] = s;
      }
    }
    return tensor(a, [m, n]);
  });
}

/** A probability vector with entries ≥ minMass (normalised positive weights). */
export function arbSimplex(n: number, minMass = 1e-3): fc.Arbitrary<Tensor> {
  return arbValues(n, { min: 0.05, max: 1 }).map((w) => {
    const s = w.reduce((a, b) => a + b, 0);
    const p = w.map((x) => minMass + (1 - n * minMass) * (x / s));
    return tensor(p, [n]);
  });
}

/** Squared Euclidean costs between two random point clouds in R^d (a realistic OT cost matrix). */
export function arbCostMatrix(m: number, n: number, d = 2): fc.Arbitrary<Tensor> {
  return fc.tuple(arbValues(m * d, { min: -2, max: 2 }), arbValues(n * d, { min: -2, max: 2 })).map(([x, y]) => {
    const c = new Float64Array(m * n);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < d; k++) s += (x[i * d + k]! - y[j * d + k]!) ** 2;
        c[i * n + j] = s;
      }
    }
    return tensor(c, [m, n]);
  });
}
