// The kernel abstraction: a positive-definite function k(x, y) whose hyperparameters are float64 tensors,
// stored unconstrained (log σ², log ℓ …) as in scikit-learn's `theta` and GPyTorch's raw parameters, so
// gradient-based fitting needs no constraints. Every kernel is a pure function `evaluate(params, x, y)`
// of its parameters and inputs, so @x/tensor autodiff gives gradients w.r.t. both.
import {
  arange,
  asTensor,
  concat,
  exp,
  mul,
  reshape,
  ShapeError,
  slice,
  type Tensor,
  type TensorLike,
  take,
  tensor,
  ValueError,
} from "@x/tensor";

/** Hyperparameters by name (unconstrained, usually logs). Combinators prefix their children's names. */
export type Params = Record<string, Tensor>;

export abstract class Kernel {
  abstract readonly name: string;
  constructor(readonly params: Params) {}

  /** Cross-covariance matrix [n, m] for x [n, d], y [m, d] at the given (possibly traced) params. */
  abstract evaluate(params: Params, x: Tensor, y: Tensor): Tensor;
  /** Diagonal k(xᵢ, xᵢ) [n] at the given params. */
  abstract evaluateDiag(params: Params, x: Tensor): Tensor;
  /** A copy of this kernel with other parameter values (same names). */
  abstract withParams(params: Params): Kernel;

  /** Cross matrix k(x, y) [n, m]; y defaults to x (the Gram matrix). */
  k(x: TensorLike, y?: TensorLike): Tensor {
    const a = asInputs(x, "x");
    const b = y === undefined ? a : asInputs(y, "y");
    checkSameDim(a, b, `${this.name}.k`);
    return this.evaluate(this.params, a, b);
  }

  /** Diagonal k(xᵢ, xᵢ) [n]. */
  diag(x: TensorLike): Tensor {
    return this.evaluateDiag(this.params, asInputs(x, "x"));
  }

  /** Constrained hyperparameter values (exp of the log-parameters), as plain numbers. */
  hyperparameters(): Record<string, number | number[]> {
    const out: Record<string, number | number[]> = {};
    for (const [key, t] of Object.entries(this.params)) {
      const isLog = /(^|\/)log[A-Z]/.test(key);
      const name = isLog ? key.replace(/(^|\/)log([A-Z])/, (_m, p: string, c: string) => p + c.toLowerCase()) : key;
      const v = Array.from(isLog ? exp(t).data : t.data);
      out[name] = t.rank === 0 ? v[0]! : v;
    }
    return out;
  }
}

/** Inputs as a float64 matrix [n, d] (a vector is n points in 1-D); n = 0 is rejected. */
export function asInputs(x: TensorLike, name: string): Tensor {
  let t = asTensor(x, name);
  if (t.rank === 1) t = reshape(t, [t.shape[0]!, 1]);
  if (t.rank !== 2)
    throw new ShapeError(`${name}: expected points as a matrix [n, d] or a vector [n], got rank ${t.rank}`);
  if (t.shape[0] === 0) throw new ValueError(`${name}: needs at least one point (n = 0)`);
  if (t.shape[1] === 0) throw new ValueError(`${name}: needs at least one feature (d = 0)`);
  return t;
}

export function checkSameDim(x: Tensor, y: Tensor, where: string): void {
  if (x.shape[1] !== y.shape[1]) {
    throw new ShapeError(`${where}: x has ${x.shape[1]} features but y has ${y.shape[1]}`);
  }
}

/** log of a positive hyperparameter (scalar or vector), with a typed error naming it otherwise. */
export function logPositive(value: number | readonly number[], name: string, where: string): Tensor {
  const arr = typeof value === "number" ? [value] : Array.from(value);
  if (arr.length === 0) throw new ValueError(`${where}: ${name} must not be empty`);
  for (const v of arr) {
    if (!(Number.isFinite(v) && v > 0)) throw new ValueError(`${where}: ${name} must be finite and > 0, got ${v}`);
  }
  const logs = arr.map(Math.log);
  return typeof value === "number" ? tensor(logs[0]!) : tensor(logs);
}

/** Checks that new params carry exactly the names (and shapes) of the old ones. */
export function checkParams(old: Params, next: Params, where: string): Params {
  for (const key of Object.keys(old)) {
    const t = next[key];
    if (t === undefined) throw new ValueError(`${where}: params is missing "${key}"`);
    const s = asTensor(t, key).shape;
    const o = old[key]!.shape;
    if (s.length !== o.length || s.some((v, i) => v !== o[i])) {
      throw new ShapeError(`${where}: params["${key}"] has shape [${s}], expected [${o}]`);
    }
  }
  const out: Params = {};
  for (const key of Object.keys(old)) out[key] = asTensor(next[key]!, key);
  return out;
}

/** Sub-dictionary of params under `prefix/`, with the prefix removed. */
export function subParams(params: Params, prefix: string): Params {
  const out: Params = {};
  const p = `${prefix}/`;
  for (const [k, v] of Object.entries(params)) if (k.startsWith(p)) out[k.slice(p.length)] = v;
  return out;
}

export function prefixParams(params: Params, prefix: string): Params {
  const out: Params = {};
  for (const [k, v] of Object.entries(params)) out[`${prefix}/${k}`] = v;
  return out;
}

/**
 * k(uᵢ, vᵢ) for paired rows of u, v [h, d] → [h], in O(h·c) work: diagonals of c×c blocks (c = 64), so any kernel
 * works without a pairwise method. Differentiable.
 */
export function kernelPairs(kernel: Kernel, u: Tensor, v: Tensor, c = 64): Tensor {
  const h = u.shape[0]!;
  const parts: Tensor[] = [];
  for (let s = 0; s < h; s += c) {
    const e = Math.min(h, s + c);
    const b = e - s;
    const K = kernel.evaluate(kernel.params, slice(u, [[s, e]]), slice(v, [[s, e]]));
    parts.push(take(reshape(K, [b * b]), mul(arange(b), b + 1)));
  }
  return parts.length === 1 ? parts[0]! : concat(parts, 0);
}
