// K-FAC for dense layers (Martens & Grosse, "Optimizing Neural Networks with Kronecker-factored
// Approximate Curvature", ICML 2015). For a layer s = a W + b the Fisher block of vec(W̄), W̄ = [W; bᵀ],
// is approximated by A ⊗ G with A = E[ā āᵀ] (ā = [a; 1]) and G = E[g gᵀ] (g = per-example ∂ℓ/∂s), so
// the preconditioned gradient is Ã⁻¹ ∇W̄ G̃⁻¹ — two small inverses instead of one huge one.
// Factors are exponential moving averages; inverses come from @x/linalg eigh every `invEvery` steps.
// Damping: 'pi' is the paper's factored Tikhonov damping (§6.3): Ã = A + π√λ I, G̃ = G + (√λ/π) I with
// π = √((tr A / dim A)/(tr G / dim G)); 'exact' uses the eigenbases to apply (A ⊗ G + λI)⁻¹ exactly
// (the "eigen" inverse of kfac-jax / George et al. 2018), at the same cost once the eigh is done.
import { eigh } from "@x/linalg";
import { fromData, type PyTree, ShapeError, Tensor, type TensorLike, tensor, ValueError } from "@x/tensor";
import type { GradientTransformation } from "./types.js";

/** One dense layer s = a·w + b: w is [in, out], b (optional) is [out]. */
export type DenseLayer = {
  w: Tensor;
  b?: Tensor;
};

/** Per-layer batch statistics: inputs a [B, in] and per-example pre-activation gradients g [B, out]. */
export interface KfacLayerStats {
  a: TensorLike;
  g: TensorLike;
}

export interface KfacExtra {
  /** One entry per layer, in the order of params. */
  layers: readonly KfacLayerStats[];
}

export interface KfacOptions {
  learningRate: number;
  /** Tikhonov damping λ (default 1e-3). */
  damping?: number;
  /** 'pi' (factored, Martens & Grosse §6.3; default) or 'exact' ((A ⊗ G + λI)⁻¹ through the eigenbases). */
  dampingMode?: "pi" | "exact";
  /** EMA decay β of the factors: F ← βF + (1 − β)F̂ (default 0.95); the first step takes the batch statistic. */
  emaDecay?: number;
  /** Recompute the eigendecompositions every this many steps (default 1). */
  invEvery?: number;
  /**
   * KL clipping (Ba, Grosse & Martens 2017): scale all updates by min(1, √(κ / (η² Σ_l ⟨P_l, ∇_l⟩))) so the
   * step's predicted KL change stays ≤ κ. Off by default (the step is then exactly −η·P).
   */
  klClip?: number;
}

interface Eig {
  /** Eigenvectors as columns, row-major k×k. */
  V: Float64Array;
  w: Float64Array;
}

export interface KfacLayerState {
  /** E[ā āᵀ], (in + bias)², row-major. */
  A: Float64Array;
  /** E[g gᵀ], out², row-major. */
  G: Float64Array;
  eigA: Eig | null;
  eigG: Eig | null;
  /** π of the factored damping at the last inverse update. */
  pi: number;
}

export interface KfacState {
  step: number;
  layers: KfacLayerState[];
}

function layersOf(params: PyTree, what: string): DenseLayer[] {
  if (!Array.isArray(params)) throw new ValueError(`${what}: must be an array of dense layers { w, b? }`);
  return params.map((l, i) => {
    const layer = l as DenseLayer;
    if (!(layer?.w instanceof Tensor) || layer.w.rank !== 2) {
      throw new ShapeError(`${what}[${i}].w: must be a rank-2 Tensor [in, out]`);
    }
    if (layer.b !== undefined && (!(layer.b instanceof Tensor) || layer.b.size !== layer.w.shape[1])) {
      throw new ShapeError(`${what}[${i}].b: must be a Tensor with ${layer.w.shape[1]} entries`);
    }
    return layer;
  });
}

/** (1/B) XᵀX for X [B, k] row-major, with an extra column of ones when `ones`. */
function secondMoment(x: Float64Array, B: number, k: number, ones: boolean): Float64Array {
  const d = ones ? k + 1 : k;
  const out = new Float64Array(d * d);
  for (let r = 0; r < B; r++) {
    const o = r * k;
    for (let i = 0; i < k; i++) {
      const xi = x[o + i]!;
      if (xi === 0) continue;
      const row = i * d;
      for (let j = 0; j < k; j++) out[row + j]! += xi * x[o + j]!;
      if (ones) out[row + k]! += xi;
    }
    if (ones) {
      for (let j = 0; j < k; j++) out[k * d + j]! += x[o + j]!;
      out[k * d + k]! += 1;
    }
  }
  for (let i = 0; i < out.length; i++) out[i]! /= B;
  return out;
}

function eigOf(M: Float64Array, k: number): Eig {
  const { values, vectors } = eigh(fromData(Float64Array.from(M), [k, k]));
  // Factors are PSD; clip the rounding-negative eigenvalues so damping alone controls the inverse.
  return { V: Float64Array.from(vectors.data), w: values.data.map((v) => Math.max(v, 0)) };
}

/** π = √(mean eigenvalue of A / mean eigenvalue of G), 1 when a factor vanishes, clamped to [1e-8, 1e8]. */
export function piOf(meanA: number, meanG: number): number {
  if (!(meanA > 0 && meanG > 0)) return 1;
  return Math.min(1e8, Math.max(1e-8, Math.sqrt(meanA / meanG)));
}

function trace(M: Float64Array, k: number): number {
  let s = 0;
  for (let i = 0; i < k; i++) s += M[i * k + i]!;
  return s;
}

/** Vᵀ X (X is m×n, V is m×m). */
function tMul(V: Float64Array, X: Float64Array, m: number, n: number): Float64Array {
  const o = new Float64Array(m * n);
  for (let t = 0; t < m; t++) {
    for (let i = 0; i < m; i++) {
      const v = V[t * m + i]!;
      if (v === 0) continue;
      for (let j = 0; j < n; j++) o[i * n + j]! += v * X[t * n + j]!;
    }
  }
  return o;
}

/** X V (X is m×n, V is n×n); with `transpose`, X Vᵀ. */
function mulRight(X: Float64Array, V: Float64Array, m: number, n: number, transpose: boolean): Float64Array {
  const o = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      if (transpose) for (let t = 0; t < n; t++) s += X[i * n + t]! * V[j * n + t]!;
      else for (let t = 0; t < n; t++) s += X[i * n + t]! * V[t * n + j]!;
      o[i * n + j] = s;
    }
  }
  return o;
}

/**
 * The K-FAC preconditioned gradient of one layer: X ↦ (damped A ⊗ G)⁻¹ X for the gradient matrix X
 * [dA, dG] (row-major vec), through A = Ua Λa Uaᵀ, G = Ug Λg Ugᵀ.
 */
export function kfacPrecondition(
  X: Float64Array,
  eigA: Eig,
  eigG: Eig,
  damping: number,
  mode: "pi" | "exact",
  pi = 1,
): Float64Array {
  const m = eigA.w.length;
  const n = eigG.w.length;
  const Y = mulRight(tMul(eigA.V, X, m, n), eigG.V, m, n, false); // Uaᵀ X Ug
  const s = Math.sqrt(damping);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const den = mode === "exact" ? eigA.w[i]! * eigG.w[j]! + damping : (eigA.w[i]! + pi * s) * (eigG.w[j]! + s / pi);
      Y[i * n + j]! /= den;
    }
  }
  // Ua Y Ugᵀ: Ua Y = (Y ᵀ Uaᵀ)ᵀ — do it as tMul with the transpose of Ua.
  const UaT = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) UaT[i * m + j] = eigA.V[j * m + i]!;
  return mulRight(tMul(UaT, Y, m, n), eigG.V, m, n, true);
}

function matrixOf(x: TensorLike, cols: number, what: string): { data: Float64Array; rows: number } {
  const t = x instanceof Tensor ? x : tensor(x, undefined, what);
  if (t.rank !== 2 || t.shape[1] !== cols) {
    throw new ShapeError(`${what}: expected shape [batch, ${cols}], got [${t.shape.join(", ")}]`);
  }
  return { data: t.data, rows: t.shape[0]! };
}

/**
 * K-FAC as an optax-style transformation over an array of dense layers `[{ w, b? }, …]`:
 * `update(grads, state, params, { layers: [{ a, g }, …] })` → updates −η·(Ã⁻¹ ∇W̄ G̃⁻¹) per layer.
 * `mlpKfacStats` computes grads and { a, g } for an MLP.
 */
export function kfac(opts: KfacOptions): GradientTransformation<KfacState, KfacExtra> {
  const lr = opts.learningRate;
  const damping = opts.damping ?? 1e-3;
  const mode = opts.dampingMode ?? "pi";
  const beta = opts.emaDecay ?? 0.95;
  const invEvery = opts.invEvery ?? 1;
  const klClip = opts.klClip;
  if (klClip !== undefined && !(klClip > 0)) throw new ValueError(`kfac: klClip must be > 0, got ${klClip}`);
  if (!(Number.isFinite(lr) && lr > 0)) throw new ValueError(`kfac: learningRate must be a positive number, got ${lr}`);
  if (!(Number.isFinite(damping) && damping > 0)) throw new ValueError(`kfac: damping must be > 0, got ${damping}`);
  if (mode !== "pi" && mode !== "exact") throw new ValueError(`kfac: dampingMode must be 'pi' or 'exact', got ${mode}`);
  if (!(beta >= 0 && beta < 1)) throw new ValueError(`kfac: emaDecay must be in [0, 1), got ${beta}`);
  if (!(Number.isInteger(invEvery) && invEvery >= 1)) {
    throw new ValueError(`kfac: invEvery must be an integer ≥ 1, got ${invEvery}`);
  }
  return {
    init(params) {
      const layers = layersOf(params, "kfac: params");
      return {
        step: 0,
        layers: layers.map((l) => {
          const dA = l.w.shape[0]! + (l.b ? 1 : 0);
          const dG = l.w.shape[1]!;
          return { A: new Float64Array(dA * dA), G: new Float64Array(dG * dG), eigA: null, eigG: null, pi: 1 };
        }),
      };
    },
    update(grads, state, _params, extra) {
      const gl = layersOf(grads, "kfac: grads");
      if (gl.length !== state.layers.length) {
        throw new ShapeError(`kfac: grads have ${gl.length} layers, the state ${state.layers.length}`);
      }
      const stats = extra?.layers;
      if (!stats || stats.length !== gl.length) {
        throw new ValueError(
          `kfac: extra.layers must hold { a, g } for each of the ${gl.length} layers (got ${stats?.length ?? "none"})`,
        );
      }
      const first = state.step === 0;
      const refresh = state.step % invEvery === 0;
      const layers: KfacLayerState[] = [];
      const pre: Float64Array[] = [];
      let vg = 0;
      gl.forEach((g, li) => {
        const din = g.w.shape[0]!;
        const dout = g.w.shape[1]!;
        const hasB = g.b !== undefined;
        const dA = din + (hasB ? 1 : 0);
        const prev = state.layers[li]!;
        if (prev.A.length !== dA * dA || prev.G.length !== dout * dout) {
          throw new ShapeError(`kfac: grads[${li}] does not match the layer the state was initialised with`);
        }
        const a = matrixOf(stats[li]!.a, din, `kfac: extra.layers[${li}].a`);
        const gg = matrixOf(stats[li]!.g, dout, `kfac: extra.layers[${li}].g`);
        if (a.rows !== gg.rows || a.rows === 0) {
          throw new ShapeError(`kfac: extra.layers[${li}]: a has ${a.rows} rows, g has ${gg.rows} (need equal, > 0)`);
        }
        const Ahat = secondMoment(a.data, a.rows, din, hasB);
        const Ghat = secondMoment(gg.data, gg.rows, dout, false);
        const A = first ? Ahat : prev.A.map((v, i) => beta * v + (1 - beta) * Ahat[i]!);
        const G = first ? Ghat : prev.G.map((v, i) => beta * v + (1 - beta) * Ghat[i]!);
        let { eigA, eigG, pi } = prev;
        if (refresh || eigA === null || eigG === null) {
          eigA = eigOf(A, dA);
          eigG = eigOf(G, dout);
          const ta = trace(A, dA) / dA;
          const tg = trace(G, dout) / dout;
          pi = piOf(ta, tg);
        }
        layers.push({ A, G, eigA, eigG, pi });
        // Gradient matrix W̄ = [∇W; ∇bᵀ], [dA, dout].
        const X = new Float64Array(dA * dout);
        X.set(g.w.data);
        if (hasB) X.set(g.b!.data, din * dout);
        const P = kfacPrecondition(X, eigA, eigG, damping, mode, pi);
        for (let i = 0; i < P.length; i++) vg += P[i]! * X[i]!;
        pre.push(P);
      });
      const scale = klClip === undefined || !(vg > 0) ? 1 : Math.min(1, Math.sqrt(klClip / (lr * lr * vg)));
      const updates = gl.map((g, li) => {
        const P = pre[li]!;
        const nw = g.w.size;
        const out: DenseLayer = {
          w: fromData(
            P.slice(0, nw).map((v) => -lr * scale * v),
            g.w.shape as number[],
          ),
        };
        if (g.b)
          out.b = fromData(
            P.slice(nw).map((v) => -lr * scale * v),
            g.b.shape as number[],
          );
        return out;
      });
      return { updates: updates as PyTree, state: { step: state.step + 1, layers } };
    },
  };
}
