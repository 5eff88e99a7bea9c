// BFGS with a dense inverse-Hessian approximation, H₀ scaled by sᵀy/yᵀy before the first update
// (Nocedal & Wright, Numerical Optimization, Alg. 6.1 and eq. 6.20); strong-Wolfe line search.
import type { InverseHessianModel } from "./internal/quasi-newton.js";
import { dot } from "./internal/vec.js";

export function bfgsModel(n: number): InverseHessianModel {
  const H = new Float64Array(n * n);
  let fresh = true;
  const identity = () => {
    H.fill(0);
    for (let i = 0; i < n; i++) H[i * n + i] = 1;
    fresh = true;
  };
  identity();
  const Hy = new Float64Array(n);
  return {
    get empty() {
      return fresh;
    },
    reset: identity,
    update(s, y, sy) {
      if (fresh) {
        const gamma = sy / dot(y, y);
        for (let i = 0; i < n; i++) H[i * n + i] = gamma;
        fresh = false;
      }
      // H ← (I − ρsyᵀ)H(I − ρysᵀ) + ρssᵀ = H − ρ(s(Hy)ᵀ + (Hy)sᵀ) + (ρ²yᵀHy + ρ)ssᵀ
      const rho = 1 / sy;
      for (let i = 0; i < n; i++) {
        let v = 0;
        for (let j = 0; j < n; j++) v += H[i * n + j]! * y[j]!;
        Hy[i] = v;
      }
      const c = rho * rho * dot(y, Hy) + rho;
      for (let i = 0; i < n; i++) {
        const si = s[i]!;
        const hi = Hy[i]!;
        for (let j = 0; j < n; j++) H[i * n + j]! += -rho * (si * Hy[j]! + hi * s[j]!) + c * si * s[j]!;
      }
    },
    direction(g, p = new Float64Array(n)) {
      for (let i = 0; i < n; i++) {
        let v = 0;
        for (let j = 0; j < n; j++) v += H[i * n + j]! * g[j]!;
        p[i] = -v;
      }
      return p;
    },
  };
}
