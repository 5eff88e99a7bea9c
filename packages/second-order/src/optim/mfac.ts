// M-FAC (Frantar, Kurtic & Alistarh 2021): the inverse of the damped empirical Fisher
// F = λI + (1/m)Σ gᵢgᵢᵀ over a sliding window of the last m gradients, applied matrix-free with the
// Woodbury identity F⁻¹v = (v − Gᵀ(mλI + GGᵀ)⁻¹Gv)/λ (G the m×n gradient buffer). The m×m system is
// solved by Cholesky (O(m²n + m³) per product) rather than the paper's recursive rank-1 form.
import { cholesky, choleskySolve } from "@x/linalg";
import { fromData, type PyTree, treeFlatten, ValueError } from "@x/tensor";
import { leafwise } from "./tree.js";
import type { GradientTransformation } from "./types.js";

export interface MfacOptions {
  /** Damping λ > 0 (default 1e-2). */
  damping?: number;
  /** Number m of gradients kept (default 32). */
  bufferSize?: number;
}

/** Flattened values of a pytree (or Float64Array) as one Float64Array. */
function flat(tree: PyTree | Float64Array, what: string): Float64Array {
  if (tree instanceof Float64Array) return tree;
  const ls = treeFlatten(tree, what).leaves;
  const o = new Float64Array(ls.reduce((s, l) => s + l.size, 0));
  let k = 0;
  for (const l of ls) {
    o.set(l.data, k);
    k += l.size;
  }
  return o;
}

export class MfacPreconditioner {
  readonly damping: number;
  readonly bufferSize: number;
  /** The kept gradients, oldest first. */
  readonly grads: Float64Array[] = [];
  private factor: ReturnType<typeof cholesky> | null = null;

  constructor(opts: MfacOptions = {}) {
    this.damping = opts.damping ?? 1e-2;
    this.bufferSize = opts.bufferSize ?? 32;
    if (!(Number.isFinite(this.damping) && this.damping > 0)) {
      throw new ValueError(`mfac: damping must be a positive number, got ${this.damping}`);
    }
    if (!(Number.isInteger(this.bufferSize) && this.bufferSize >= 1)) {
      throw new ValueError(`mfac: bufferSize must be a positive integer, got ${this.bufferSize}`);
    }
  }

  /** Adds a gradient (pytree or flat), dropping the oldest once bufferSize are kept. */
  add(g: PyTree | Float64Array): void {
    const v = Float64Array.from(flat(g, "mfac.add: g"));
    if (this.grads.length > 0 && v.length !== this.grads[0]!.length) {
      throw new ValueError(`mfac.add: g has ${v.length} entries, earlier gradients ${this.grads[0]!.length}`);
    }
    this.grads.push(v);
    if (this.grads.length > this.bufferSize) this.grads.shift();
    this.factor = null;
  }

  /** F⁻¹v with F = λI + (1/m)GᵀG (v a flat vector of the gradient length). */
  ihvp(v: Float64Array): Float64Array {
    const m = this.grads.length;
    const lam = this.damping;
    const out = Float64Array.from(v, (x) => x / lam);
    if (m === 0) return out;
    const n = this.grads[0]!.length;
    if (v.length !== n) throw new ValueError(`mfac.ihvp: v has ${v.length} entries, gradients ${n}`);
    if (this.factor === null) {
      const K = new Float64Array(m * m);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j <= i; j++) {
          let s = 0;
          const a = this.grads[i]!;
          const b = this.grads[j]!;
          for (let k = 0; k < n; k++) s += a[k]! * b[k]!;
          K[i * m + j] = K[j * m + i] = s + (i === j ? m * lam : 0);
        }
      }
      this.factor = cholesky(fromData(K, [m, m]));
    }
    const gv = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      let s = 0;
      const a = this.grads[i]!;
      for (let k = 0; k < n; k++) s += a[k]! * v[k]!;
      gv[i] = s;
    }
    const c = choleskySolve(this.factor.l, fromData(gv, [m])).data;
    for (let i = 0; i < m; i++) {
      const a = this.grads[i]!;
      const ci = c[i]! / lam;
      for (let k = 0; k < n; k++) out[k]! -= ci * a[k]!;
    }
    return out;
  }
}

export interface MfacState {
  preconditioner: MfacPreconditioner;
}

/** Preconditioned SGD with M-FAC: push g, update = −η F⁻¹g (pytrees in, pytrees out). The state holds a
 * mutable preconditioner (the gradient window), so do not reuse an old state after a newer update. */
export function mfac(opts: MfacOptions & { learningRate: number }): GradientTransformation<MfacState> {
  const lr = opts.learningRate;
  if (!(Number.isFinite(lr) && lr > 0)) throw new ValueError(`mfac: learningRate must be a positive number, got ${lr}`);
  return {
    init: () => ({ preconditioner: new MfacPreconditioner(opts) }),
    update(grads, state) {
      const p = state.preconditioner;
      p.add(grads);
      const step = p.ihvp(flat(grads, "mfac: grads"));
      let k = 0;
      const updates = leafwise(
        "mfac",
        (g) => {
          const o = g.map((_, i) => -lr * step[k + i]!);
          k += g.length;
          return o;
        },
        grads,
      );
      return { updates, state };
    },
  };
}
