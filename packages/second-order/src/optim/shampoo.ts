// Shampoo (Gupta, Koren & Singer 2018): for a matrix parameter with gradient G (m×n) keep
// L = εI + ΣGGᵀ and R = εI + ΣGᵀG and step −η L^{-1/4} G R^{-1/4}; a vector (or scalar) parameter keeps
// one factor H = εI + Σggᵀ and steps −η H^{-1/2} g. Inverse roots by symmetric eigendecomposition
// (@x/linalg eigh), recomputed every step (small layers; the paper amortises them).
import { eigh } from "@x/linalg";
import { fromData, type PyTree, type Tensor, treeFlatten, ValueError } from "@x/tensor";
import type { GradientTransformation } from "./types.js";

export interface ShampooOptions {
  learningRate: number;
  /** ε added to the factors' diagonal at init (default 1e-4). */
  eps?: number;
}

/** Per leaf: [L, R] for matrices, [H] for vectors/scalars (row-major Float64Arrays). */
export interface ShampooState {
  factors: Float64Array[][];
}

/** A^p for symmetric positive definite A (k×k) by eigendecomposition. */
function spdPower(a: Float64Array, k: number, p: number): Float64Array {
  const { values, vectors } = eigh(fromData(Float64Array.from(a), [k, k]));
  const V = vectors.data;
  const w = values.data.map((l) => Math.max(l, Number.MIN_VALUE) ** p);
  const out = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += V[i * k + t]! * w[t]! * V[j * k + t]!;
      out[i * k + j] = s;
    }
  }
  return out;
}

function matmul(a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array {
  const o = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let t = 0; t < k; t++) {
      const v = a[i * k + t]!;
      if (v !== 0) for (let j = 0; j < n; j++) o[i * n + j]! += v * b[t * n + j]!;
    }
  }
  return o;
}

const dims = (l: Tensor): [number, number] => (l.shape.length === 2 ? [l.shape[0]!, l.shape[1]!] : [l.size, 1]);

export function shampoo(opts: ShampooOptions): GradientTransformation<ShampooState> {
  const lr = opts.learningRate;
  const eps = opts.eps ?? 1e-4;
  if (!(Number.isFinite(lr) && lr > 0))
    throw new ValueError(`shampoo: learningRate must be a positive number, got ${lr}`);
  if (!(eps > 0)) throw new ValueError(`shampoo: eps must be > 0, got ${eps}`);
  const eye = (k: number) => {
    const o = new Float64Array(k * k);
    for (let i = 0; i < k; i++) o[i * k + i] = eps;
    return o;
  };
  return {
    init(params) {
      const leaves = treeFlatten(params, "shampoo: params").leaves;
      return {
        factors: leaves.map((l) => {
          const [m, n] = dims(l);
          return l.shape.length === 2 ? [eye(m), eye(n)] : [eye(m)];
        }),
      };
    },
    update(grads: PyTree, state) {
      const flat = treeFlatten(grads, "shampoo: grads");
      if (flat.leaves.length !== state.factors.length) {
        throw new ValueError(`shampoo: grads have ${flat.leaves.length} leaves, state ${state.factors.length}`);
      }
      const factors: Float64Array[][] = [];
      const ups = flat.leaves.map((l, idx) => {
        const [m, n] = dims(l);
        const G = l.data;
        const fs = state.factors[idx]!;
        if (fs.length === 2) {
          const Gt = new Float64Array(n * m);
          for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) Gt[j * m + i] = G[i * n + j]!;
          const L = matmul(G, Gt, m, n, m).map((v, i) => v + fs[0]![i]!);
          const R = matmul(Gt, G, n, m, n).map((v, i) => v + fs[1]![i]!);
          factors.push([L, R]);
          const step = matmul(matmul(spdPower(L, m, -0.25), G, m, m, n), spdPower(R, n, -0.25), m, n, n);
          return fromData(
            step.map((v) => -lr * v),
            l.shape as number[],
          );
        }
        const H = matmul(G, G, m, 1, m).map((v, i) => v + fs[0]![i]!);
        factors.push([H]);
        const step = matmul(spdPower(H, m, -0.5), G, m, m, 1);
        return fromData(
          step.map((v) => -lr * v),
          l.shape as number[],
        );
      });
      return { updates: flat.unflatten(ups), state: { factors } };
    },
  };
}
