// α-CROWN (Xu et al. 2021, "Fast and Complete: Enabling Complete Neural Network Verification with Rapid and
// Massively Parallel Incomplete Verifiers"): the lower ReLU slopes α ∈ [0, 1] (per output row and neuron) are free
// parameters of a valid bound, so they are optimised by projected gradient ascent (Adam) on the lower bound.
// Every iterate is a sound bound; the best one per row is kept, so the result is never looser than CROWN's start.
// Here the intermediate bounds stay those of CROWN; only the slopes of the final objective are optimised.
import { type BackwardContext, type BackwardResult, backwardLower } from "./crown.js";
import { alphaRange, defaultAlpha, isStable, relax } from "./relaxation.js";

export interface AlphaOptions {
  /** gradient steps (default 20) */
  iterations?: number;
  /** Adam step size (default 0.1) */
  lr?: number;
  /**
   * β-CROWN (Wang et al. 2021): ReLU split constraints sign·z ≥ 0 of the current branch-and-bound domain. Each gets a
   * multiplier β ≥ 0 per row, optimised jointly with α; f ≥ f − β·sign·z holds on the split domain.
   */
  splits?: { layer: number; neuron: number; sign: 1 | -1 }[];
  /** stop as soon as some row's bound exceeds its target (e.g. the spec's d: that row is then proven) */
  target?: Float64Array;
}

export interface AlphaResult extends BackwardResult {
  /** lower bound of the CROWN start, per row */
  initial: Float64Array;
  iterations: number;
}

export function alphaCrownLower(
  ctx: BackwardContext,
  k: number,
  C: Float64Array,
  rows: number,
  opts: AlphaOptions = {},
): AlphaResult {
  const { net, box, pre } = ctx;
  const iterations = opts.iterations ?? 20;
  const lr = opts.lr ?? 0.1;
  // initial α = CROWN's adaptive choice
  const alphas: Float64Array[] = [];
  for (let j = 0; j < k; j++) {
    const n = net.dense[j]!.outSize;
    const act = net.activations[j]!;
    const a = new Float64Array(rows * n);
    for (let t = 0; t < n; t++) {
      const v = defaultAlpha(act, pre[j]!.lower[t]!, pre[j]!.upper[t]!);
      for (let r = 0; r < rows; r++) a[r * n + t] = v;
    }
    alphas.push(a);
  }
  const splits = (opts.splits ?? []).filter((sp) => sp.layer < k);
  const betas = splits.map(() => new Float64Array(rows));
  const betaTerms = (): (Float64Array | undefined)[] => {
    const terms: (Float64Array | undefined)[] = [];
    splits.forEach((sp, q) => {
      const n = net.dense[sp.layer]!.outSize;
      terms[sp.layer] ??= new Float64Array(rows * n);
      for (let r = 0; r < rows; r++)
        terms[sp.layer]![r * n + sp.neuron] = terms[sp.layer]![r * n + sp.neuron]! - sp.sign * betas[q]![r]!;
    });
    return terms;
  };
  const first = backwardLower(ctx, k, C, rows, alphas, true, betaTerms());
  const best = { lower: Float64Array.from(first.lower), A: Float64Array.from(first.A) };
  const hasFree = net.activations.slice(0, k).some((act, j) => {
    if (!alphaRange(act)) return false;
    const z = pre[j]!;
    for (let t = 0; t < z.lower.length; t++) if (!isStable(act, z.lower[t]!, z.upper[t]!)) return true;
    return false;
  });
  if ((!hasFree && splits.length === 0) || iterations === 0) return { ...best, initial: first.lower, iterations: 0 };
  const m = alphas.map((a) => new Float64Array(a.length));
  const v = alphas.map((a) => new Float64Array(a.length));
  const mb = betas.map(() => new Float64Array(rows));
  const vb = betas.map(() => new Float64Array(rows));
  const done = (lower: Float64Array) => opts.target !== undefined && lower.some((x, r) => x > opts.target![r]!);
  const inSize = net.inputSize;
  let cur = first;
  let it = 0;
  for (; it < iterations && !done(best.lower); it++) {
    const betaGrad = betas.map(() => new Float64Array(rows));
    // Forward pass of the relaxed network at the minimising input x*, per row: ∂bound/∂α = Λ'·ẑ.
    const grads = alphas.map((a) => new Float64Array(a.length));
    for (let r = 0; r < rows; r++) {
      let h = new Float64Array(inSize);
      for (let t = 0; t < inSize; t++) h[t] = cur.A[r * inSize + t]! >= 0 ? box.lower[t]! : box.upper[t]!;
      for (let j = 0; j < k; j++) {
        const d = net.dense[j]!;
        const act = net.activations[j]!;
        const z = pre[j]!;
        const lamJ = cur.lam![j]!;
        const n = d.outSize;
        const hn = new Float64Array(n);
        for (let t = 0; t < n; t++) {
          let s = d.b[t]!;
          const row = t * d.inSize;
          for (let q = 0; q < d.inSize; q++) s += d.W[row + q]! * h[q]!;
          const lv = lamJ[r * n + t]!;
          splits.forEach((sp, q) => {
            if (sp.layer === j && sp.neuron === t) betaGrad[q]![r] = -sp.sign * s;
          });
          const R = relax(act, z.lower[t]!, z.upper[t]!);
          const free = alphaRange(act) !== null && !isStable(act, z.lower[t]!, z.upper[t]!);
          if (lv >= 0) {
            const slope = free ? alphas[j]![r * n + t]! : R.loSlope;
            if (free) grads[j]![r * n + t] = lv * s;
            hn[t] = slope * s + R.loBias;
          } else hn[t] = R.upSlope * s + R.upBias;
        }
        h = hn;
      }
    }
    // Adam ascent step with projection onto the admissible slope range
    const b1 = 0.9;
    const b2 = 0.999;
    for (let j = 0; j < k; j++) {
      const range = alphaRange(net.activations[j]!);
      if (!range) continue;
      const a = alphas[j]!;
      const g = grads[j]!;
      for (let q = 0; q < a.length; q++) {
        m[j]![q] = b1 * m[j]![q]! + (1 - b1) * g[q]!;
        v[j]![q] = b2 * v[j]![q]! + (1 - b2) * g[q]! * g[q]!;
        const mh = m[j]![q]! / (1 - b1 ** (it + 1));
        const vh = v[j]![q]! / (1 - b2 ** (it + 1));
        a[q] = Math.min(range[1], Math.max(range[0], a[q]! + (lr * mh) / (Math.sqrt(vh) + 1e-12)));
      }
    }
    for (let q = 0; q < betas.length; q++) {
      for (let r = 0; r < rows; r++) {
        const g = betaGrad[q]![r]!;
        mb[q]![r] = b1 * mb[q]![r]! + (1 - b1) * g;
        vb[q]![r] = b2 * vb[q]![r]! + (1 - b2) * g * g;
        const mh = mb[q]![r]! / (1 - b1 ** (it + 1));
        const vh = vb[q]![r]! / (1 - b2 ** (it + 1));
        betas[q]![r] = Math.max(0, betas[q]![r]! + (lr * mh) / (Math.sqrt(vh) + 1e-12));
      }
    }
    cur = backwardLower(ctx, k, C, rows, alphas, true, betaTerms());
    for (let r = 0; r < rows; r++) {
      if (cur.lower[r]! > best.lower[r]!) {
        best.lower[r] = cur.lower[r]!;
        best.A.set(cur.A.subarray(r * inSize, (r + 1) * inSize), r * inSize);
      }
    }
  }
  return { ...best, initial: first.lower, iterations: it };
}
