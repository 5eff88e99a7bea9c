// Local Lipschitz bounds by bound propagation on the Clarke Jacobian (Shi et al. 2022, "Efficiently Computing Local
// Lipschitz Constants of Neural Networks via Bound Propagation"; interval form as in RecurJac, Zhang et al. 2019).
// ∇(c·f)(x)ᵀ = cᵀ W_L D_{L−1} W_{L−1} ⋯ D_0 W_0 with D_k = diag(σ'(z_k)). Over a box, every σ'(z_k) lies in an interval
// given by the pre-activation bounds (CROWN), so the row vector is propagated backward as an interval vector: an
// interval Hadamard product with D_k, then an exact-sign product with W_k (outward rounded). The dual norm of the
// entrywise magnitude bounds the local Lipschitz constant of c·f over the box.
import { asTensor, ShapeError, type Tensor, type TensorLike, tensor, ValueError } from "@x/tensor";
import { type Box, toBox } from "./bounds.js";
import { crownIntermediate } from "./crown.js";
import type { Activation, Network } from "./network.js";
import { gamma, libUp, nextDown, nextUp } from "./rounding.js";

export interface LipschitzOptions {
  /** rows × outputSize; bound the Lipschitz constant of each c·f (default: every output) */
  C?: TensorLike;
  /** input norm p: the constant is w.r.t. ‖x − x'‖_p, the gradient is measured in the dual norm (default "inf") */
  norm?: "inf" | "2" | "1";
}

export interface LipschitzResult {
  /** one bound per row of C */
  bound: Tensor;
  /** elementwise bounds of the gradient of each row over the box (rows × inputSize) */
  gradLower: Tensor;
  gradUpper: Tensor;
}

/** Interval of σ' on [l, u]. */
function derivativeRange(act: Activation, l: number, u: number): [number, number] {
  switch (act.kind) {
    case "relu":
      return l >= 0 ? [1, 1] : u <= 0 ? [0, 0] : [0, 1];
    case "leakyRelu":
      return l >= 0 ? [1, 1] : u <= 0 ? [act.alpha, act.alpha] : [act.alpha, 1];
    case "sigmoid":
    case "tanh": {
      // σ' is even-unimodal with its maximum at 0 (sigmoid: 1/4, tanh: 1)
      const d = (x: number) => {
        if (act.kind === "tanh") {
          const t = Math.tanh(x);
          return 1 - t * t;
        }
        const s = 1 / (1 + Math.exp(-x));
        return s * (1 - s);
      };
      const peak = act.kind === "tanh" ? 1 : 0.25;
      const hi = l <= 0 && u >= 0 ? peak : Math.max(d(l), d(u));
      const lo = Math.min(d(l), d(u));
      return [Math.max(0, nextDown(lo - 1e-15 * lo)), Math.min(peak, libUp(hi))];
    }
  }
}

export function localLipschitz(net: Network, box: Box, opts: LipschitzOptions = {}): LipschitzResult {
  const b = toBox(net, box);
  const norm = opts.norm ?? "inf";
  if (norm !== "inf" && norm !== "2" && norm !== "1")
    throw new ValueError(`localLipschitz: norm must be 'inf', '2' or '1', got '${norm}'`);
  const m = net.outputSize;
  let C: Float64Array;
  let rows: number;
  if (opts.C === undefined) {
    rows = m;
    C = new Float64Array(m * m);
    for (let i = 0; i < m; i++) C[i * m + i] = 1;
  } else {
    const t = asTensor(opts.C, "C");
    rows = t.shape.length === 2 ? t.shape[0]! : 1;
    if (t.size !== rows * m)
      throw new ShapeError(`localLipschitz: C must have shape [rows, ${m}], got [${t.shape.join(", ")}]`);
    C = Float64Array.from(t.data);
  }
  const ctx = crownIntermediate(net, b);
  const n = net.inputSize;
  const gLo = new Float64Array(rows * n);
  const gHi = new Float64Array(rows * n);
  const bound = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let lo: Float64Array = C.slice(r * m, (r + 1) * m);
    let hi: Float64Array = Float64Array.from(lo);
    for (let k = net.dense.length - 1; k >= 0; k--) {
      const d = net.dense[k]!;
      // [lo, hi] · W  (row interval times exact matrix), outward rounded
      const nlo = new Float64Array(d.inSize);
      const nhi = new Float64Array(d.inSize);
      const mag = new Float64Array(d.inSize);
      for (let i = 0; i < d.outSize; i++) {
        const a = lo[i]!;
        const c = hi[i]!;
        if (a === 0 && c === 0) continue;
        const am = Math.max(Math.abs(a), Math.abs(c));
        const row = i * d.inSize;
        for (let j = 0; j < d.inSize; j++) {
          const w = d.W[row + j]!;
          if (w >= 0) {
            nlo[j] = nlo[j]! + w * a;
            nhi[j] = nhi[j]! + w * c;
          } else {
            nlo[j] = nlo[j]! + w * c;
            nhi[j] = nhi[j]! + w * a;
          }
          mag[j] = mag[j]! + Math.abs(w) * am;
        }
      }
      const g = gamma(d.outSize + 1);
      for (let j = 0; j < d.inSize; j++) {
        nlo[j] = nextDown(nlo[j]! - g * mag[j]!);
        nhi[j] = nextUp(nhi[j]! + g * mag[j]!);
      }
      lo = nlo;
      hi = nhi;
      if (k === 0) break;
      // Hadamard product with σ'(z_{k−1}) ∈ [dl, dh] (dl ≥ 0)
      const act = net.activations[k - 1]!;
      const z = ctx.pre[k - 1]!;
      for (let j = 0; j < lo.length; j++) {
        const [dl, dh] = derivativeRange(act, z.lower[j]!, z.upper[j]!);
        const cands = [lo[j]! * dl, lo[j]! * dh, hi[j]! * dl, hi[j]! * dh];
        lo[j] = nextDown(Math.min(...cands));
        hi[j] = nextUp(Math.max(...cands));
      }
    }
    gLo.set(lo, r * n);
    gHi.set(hi, r * n);
    // dual norm of the entrywise magnitude
    let s = 0;
    for (let j = 0; j < n; j++) {
      const a = Math.max(Math.abs(lo[j]!), Math.abs(hi[j]!));
      if (norm === "inf") s += a;
      else if (norm === "2") s += a * a;
      else s = Math.max(s, a);
    }
    bound[r] = norm === "2" ? nextUp(nextUp(Math.sqrt(nextUp(s * (1 + gamma(n)))))) : nextUp(s * (1 + gamma(n)));
  }
  return { bound: tensor(bound), gradLower: tensor(gLo, [rows, n]), gradUpper: tensor(gHi, [rows, n]) };
}
