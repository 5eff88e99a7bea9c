// Limited-memory BFGS: two-loop recursion for −H·g from the last m secant pairs (Nocedal 1980;
// Liu & Nocedal 1989; Nocedal & Wright, Numerical Optimization, Alg. 7.4), strong-Wolfe line search.
import { ValueError } from "@x/tensor";
import type { InverseHessianModel } from "./internal/quasi-newton.js";
import { dot } from "./internal/vec.js";

/** The L-BFGS inverse-Hessian model (memory m). 'initial' scaling keeps H₀ = γ₀I from the first pair, as BFGS does. */
export function lbfgsModel(n: number, memory = 10, scaling: "dynamic" | "initial" = "dynamic"): InverseHessianModel {
  if (!Number.isInteger(memory) || memory < 1)
    throw new ValueError(`minimize: memory must be an integer ≥ 1, got ${memory}`);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  let gamma0 = Number.NaN;
  const alpha = new Float64Array(memory);
  return {
    get empty() {
      return S.length === 0;
    },
    reset() {
      S.length = 0;
      Y.length = 0;
      rho.length = 0;
      gamma0 = Number.NaN;
    },
    update(s, y, sy) {
      if (Number.isNaN(gamma0)) gamma0 = sy / dot(y, y);
      if (S.length === memory) {
        S.shift();
        Y.shift();
        rho.shift();
      }
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
    },
    direction(g) {
      const q = Float64Array.from(g);
      const k = S.length;
      for (let i = k - 1; i >= 0; i--) {
        const si = S[i]!;
        const yi = Y[i]!;
        const a = rho[i]! * dot(si, q);
        alpha[i] = a;
        for (let j = 0; j < n; j++) q[j]! -= a * yi[j]!;
      }
      let gamma = 1;
      if (k > 0) gamma = scaling === "initial" ? gamma0 : 1 / (rho[k - 1]! * dot(Y[k - 1]!, Y[k - 1]!));
      for (let j = 0; j < n; j++) q[j]! *= gamma;
      for (let i = 0; i < k; i++) {
        const si = S[i]!;
        const yi = Y[i]!;
        const b = rho[i]! * dot(yi, q);
        const c = alpha[i]! - b;
        for (let j = 0; j < n; j++) q[j]! += c * si[j]!;
      }
      for (let j = 0; j < n; j++) q[j] = -q[j]!;
      return q;
    },
  };
}
