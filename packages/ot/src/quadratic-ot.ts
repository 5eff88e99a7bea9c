// Quadratically regularised OT: min ⟨P, M⟩ + (reg/2)‖P‖² over plans, solved on the smooth dual
//   max αᵀa + βᵀb − (1/(2 reg)) Σ_ij [α_i + β_j − M_ij]₊²   with L-BFGS,
// whose maximiser gives the (sparse) plan P = [α ⊕ β − M]₊ / reg.
// Method: Blondel, Seguy & Rolet, "Smooth and sparse optimal transport" (AISTATS 2018); POT's
// ot.smooth.smooth_ot_dual(reg_type="l2").
import { fromData, type Tensor, type TensorLike } from "@x/tensor";
import { lbfgs } from "./internal/lbfgs.js";
import { balancedProblem, checkPositive } from "./internal/validate.js";

export interface QuadraticOtResult {
  plan: Tensor;
  alpha: Tensor;
  beta: Tensor;
  /** ⟨P, M⟩. */
  cost: number;
  converged: boolean;
  iterations: number;
  /** Final dual gradient norm = marginal violation ‖(a − P𝟙, b − Pᵀ𝟙)‖₂. */
  residual: number;
}

export function quadraticOt(
  a: TensorLike | undefined,
  b: TensorLike | undefined,
  M: TensorLike,
  reg: number,
  /** tol bounds the marginal violation (dual gradient norm), default 1e-7; float64 rounding of the dual limits it to ≈ 1e-8. */
  opts: { maxIter?: number; tol?: number } = {},
): QuadraticOtResult {
  checkPositive(reg, "reg");
  const p = balancedProblem(a, b, M);
  const { rows: n1, cols: n2, data: C } = p.M;
  const av = p.a;
  const bv = p.b;
  // Negative dual and its gradient, for a minimiser.
  const fg = (x: Float64Array, g: Float64Array) => {
    let val = 0;
    g.fill(0);
    for (let i = 0; i < n1; i++) {
      val -= x[i]! * av[i]!;
      g[i] = -av[i]!;
    }
    for (let j = 0; j < n2; j++) {
      val -= x[n1 + j]! * bv[j]!;
      g[n1 + j] = -bv[j]!;
    }
    for (let i = 0; i < n1; i++) {
      const ai = x[i]!;
      for (let j = 0; j < n2; j++) {
        const t = ai + x[n1 + j]! - C[i * n2 + j]!;
        if (t > 0) {
          val += (t * t) / (2 * reg);
          g[i] = g[i]! + t / reg;
          g[n1 + j] = g[n1 + j]! + t / reg;
        }
      }
    }
    return val;
  };
  const r = lbfgs(fg, new Float64Array(n1 + n2), { maxIter: opts.maxIter ?? 1000, tol: opts.tol ?? 1e-7 });
  const P = new Float64Array(n1 * n2);
  let cost = 0;
  for (let i = 0; i < n1; i++) {
    for (let j = 0; j < n2; j++) {
      const t = r.x[i]! + r.x[n1 + j]! - C[i * n2 + j]!;
      if (t > 0) {
        P[i * n2 + j] = t / reg;
        cost += (t / reg) * C[i * n2 + j]!;
      }
    }
  }
  return {
    plan: fromData(P, [n1, n2]),
    alpha: fromData(r.x.slice(0, n1), [n1]),
    beta: fromData(r.x.slice(n1), [n2]),
    cost,
    converged: r.converged,
    iterations: r.iterations,
    residual: r.gradNorm,
  };
}
