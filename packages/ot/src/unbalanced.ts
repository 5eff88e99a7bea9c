// Unbalanced entropic OT with KL-relaxed marginals:
//   min ⟨P, M⟩ + reg·KL(P | 𝟙) + regM·(KL(P𝟙 | a) + KL(Pᵀ𝟙 | b)),
// solved by scaling iterations with exponent regM/(regM + reg), run in the log domain.
// Method: Chizat, Peyré, Schmitzer & Vialard, "Scaling algorithms for unbalanced optimal transport
// problems" (Math. Comp. 2018); POT's sinkhorn_knopp_unbalanced (same iterates and stopping rule).
import * as X from "@x/tensor";
import { fromData, type Tensor, type TensorLike, ValueError } from "@x/tensor";
import { checkCost, checkMarginal, checkPositive, marginalOrUniform, mat } from "./internal/validate.js";
import { planFromPotentials } from "./sinkhorn-types.js";

export interface UnbalancedOptions {
  maxIter?: number;
  /** Stop when the relative change of the scalings is below tol (POT's rule, default 1e-9). */
  tol?: number;
}

export interface UnbalancedResult {
  plan: Tensor;
  f: Tensor;
  g: Tensor;
  /** ⟨plan, M⟩ (POT's sinkhorn_unbalanced2 value). */
  cost: number;
  converged: boolean;
  iterations: number;
  errors: number[];
}

export function sinkhornUnbalanced(
  a: TensorLike | undefined,
  b: TensorLike | undefined,
  M: TensorLike,
  reg: number,
  regM: number,
  opts: UnbalancedOptions = {},
): UnbalancedResult {
  checkPositive(reg, "reg");
  checkPositive(regM, "regM");
  const m = mat(M, "M");
  checkCost(m);
  const av = marginalOrUniform(a, m.rows, "a");
  const bv = marginalOrUniform(b, m.cols, "b");
  checkMarginal(av, "a");
  checkMarginal(bv, "b");
  const maxIter = opts.maxIter ?? 1000;
  const tol = opts.tol ?? 1e-9;
  if (!(maxIter >= 0)) throw new ValueError(`maxIter must be ≥ 0, got ${maxIter}`);
  const { rows: n1, cols: n2, data: C } = m;
  const fi = regM / (regM + reg);
  // POT starts from u = 𝟙/n1, v = 𝟙/n2.
  const f = new Float64Array(n1).fill(reg * Math.log(1 / n1));
  const g = new Float64Array(n2).fill(reg * Math.log(1 / n2));
  const errors: number[] = [];
  let converged = false;
  let it = 0;
  const relChange = (x: Float64Array, y: Float64Array) => {
    let d = 0;
    let mx = 1;
    for (let k = 0; k < x.length; k++) {
      const ex = Math.exp(x[k]! / reg);
      const ey = Math.exp(y[k]! / reg);
      d = Math.max(d, Math.abs(ex - ey));
      mx = Math.max(mx, Math.abs(ex), Math.abs(ey));
    }
    return d / mx;
  };
  while (it < maxIter) {
    const fPrev = Float64Array.from(f);
    const gPrev = Float64Array.from(g);
    for (let i = 0; i < n1; i++) {
      const o = i * n2;
      let mx = Number.NEGATIVE_INFINITY;
      for (let j = 0; j < n2; j++) mx = Math.max(mx, (g[j]! - C[o + j]!) / reg);
      let s = 0;
      for (let j = 0; j < n2; j++) s += Math.exp((g[j]! - C[o + j]!) / reg - mx);
      f[i] = fi * (reg * Math.log(av[i]!) - reg * (mx + Math.log(s)));
    }
    for (let j = 0; j < n2; j++) {
      let mx = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < n1; i++) mx = Math.max(mx, (f[i]! - C[i * n2 + j]!) / reg);
      let s = 0;
      for (let i = 0; i < n1; i++) s += Math.exp((f[i]! - C[i * n2 + j]!) / reg - mx);
      g[j] = fi * (reg * Math.log(bv[j]!) - reg * (mx + Math.log(s)));
    }
    it++;
    const err = 0.5 * (relChange(f, fPrev) + relChange(g, gPrev));
    errors.push(err);
    if (Number.isNaN(err)) break;
    if (err < tol) {
      converged = true;
      break;
    }
  }
  const P = planFromPotentials(f, g, C, reg);
  let cost = 0;
  for (let k = 0; k < P.length; k++) cost += P[k]! * C[k]!;
  return {
    plan: fromData(P, [n1, n2]),
    f: fromData(f, [n1]),
    g: fromData(g, [n2]),
    cost,
    converged,
    iterations: it,
    errors,
  };
}

/** ⟨P, M⟩ at the unbalanced plan (POT's sinkhorn_unbalanced2) as a scalar tensor. */
export function sinkhornUnbalanced2(
  a: TensorLike | undefined,
  b: TensorLike | undefined,
  M: TensorLike,
  reg: number,
  regM: number,
  opts: UnbalancedOptions = {},
): Tensor {
  return X.scalarTensor(sinkhornUnbalanced(a, b, M, reg, regM, opts).cost);
}
