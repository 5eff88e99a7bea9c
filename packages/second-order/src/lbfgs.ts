// Limited-memory BFGS: two-loop recursion for −H·g from the last m secant pairs (Nocedal 1980;
// Liu & Nocedal 1989; Nocedal & Wright, Numerical Optimization, Alg. 7.4), strong-Wolfe line search.
// The pairs live in one preallocated ring buffer (no allocation per iteration), and each pass of the
// recursion is fused with the next pair's inner product, so a direction costs ≈ 2m passes over n
// (three arrays each) instead of 4m, with four partial sums per inner product — at n ~ 10³ the recursion is
// bound by loop overhead and add latency, not flops.
import { ValueError } from "@x/tensor";
import type { InverseHessianModel } from "./internal/quasi-newton.js";
import { dot } from "./internal/vec.js";

/**
 * q ← q + c·u, returning wᵀq for the updated q: one pass of the two-loop recursion fused with the next pair's
 * inner product. Four partial sums break the add-latency chain of the inner product (V8 does not vectorise).
 */
function axpyDot(q: Float64Array, c: number, u: Float64Array, w: Float64Array, n: number): number {
  let acc0 = 0;
  let acc1 = 0;
  let acc2 = 0;
  let acc3 = 0;
  let j = 0;
  for (; j + 3 < n; j += 4) {
    const v0 = q[j]! + c * u[j]!;
    const v1 = q[j + 1]! + c * u[j + 1]!;
    const v2 = q[j + 2]! + c * u[j + 2]!;
    const v3 = q[j + 3]! + c * u[j + 3]!;
    q[j] = v0;
    q[j + 1] = v1;
    q[j + 2] = v2;
    q[j + 3] = v3;
    acc0 += w[j]! * v0;
    acc1 += w[j + 1]! * v1;
    acc2 += w[j + 2]! * v2;
    acc3 += w[j + 3]! * v3;
  }
  for (; j < n; j++) {
    const v = q[j]! + c * u[j]!;
    q[j] = v;
    acc0 += w[j]! * v;
  }
  return acc0 + acc1 + (acc2 + acc3);
}

/** The L-BFGS inverse-Hessian model (memory m). 'initial' scaling keeps H₀ = γ₀I from the first pair, as BFGS does. */
export function lbfgsModel(n: number, memory = 10, scaling: "dynamic" | "initial" = "dynamic"): InverseHessianModel {
  if (!Number.isInteger(memory) || memory < 1)
    throw new ValueError(`minimize: memory must be an integer ≥ 1, got ${memory}`);
  const m = memory;
  const Sbuf = new Float64Array(m * n);
  const Ybuf = new Float64Array(m * n);
  const S = Array.from({ length: m }, (_, i) => Sbuf.subarray(i * n, (i + 1) * n));
  const Y = Array.from({ length: m }, (_, i) => Ybuf.subarray(i * n, (i + 1) * n));
  const rho = new Float64Array(m);
  const yy = new Float64Array(m);
  const alpha = new Float64Array(m);
  let count = 0;
  let head = 0; // slot of the oldest pair
  let gamma0 = Number.NaN;
  return {
    get empty() {
      return count === 0;
    },
    reset() {
      count = 0;
      head = 0;
      gamma0 = Number.NaN;
    },
    update(s, y, sy) {
      const slot = count < m ? (head + count) % m : head;
      S[slot]!.set(s);
      Y[slot]!.set(y);
      rho[slot] = 1 / sy;
      yy[slot] = dot(y, y);
      if (Number.isNaN(gamma0)) gamma0 = sy / yy[slot]!;
      if (count < m) count++;
      else head = (head + 1) % m;
    },
    direction(g, out = new Float64Array(n)) {
      const q = out;
      const k = count;
      if (k === 0) {
        for (let j = 0; j < n; j++) q[j] = -g[j]!;
        return q;
      }
      const slot = (i: number) => (head + i) % m; // i = 0 oldest … k−1 newest
      const last = slot(k - 1);
      const gamma = scaling === "initial" ? gamma0 : 1 / (rho[last]! * yy[last]!);
      q.set(g);
      // First loop, newest to oldest: αᵢ = ρᵢsᵢᵀq, q ← q − αᵢyᵢ, fused with the next sᵢ₋₁ᵀq.
      let a = rho[last]! * dot(S[last]!, q);
      for (let i = k - 1; i >= 1; i--) {
        const si = slot(i);
        alpha[si] = a;
        a = rho[slot(i - 1)]! * axpyDot(q, -a, Y[si]!, S[slot(i - 1)]!, n);
      }
      // Oldest pair, the H₀ = γI scaling and the first inner product of the second loop in one pass.
      const s0 = slot(0);
      alpha[s0] = a;
      {
        const y0 = Y[s0]!;
        let acc = 0;
        for (let j = 0; j < n; j++) {
          const v = gamma * (q[j]! - a * y0[j]!);
          q[j] = v;
          acc += y0[j]! * v;
        }
        a = rho[s0]! * acc; // βᵢ of the oldest pair
      }
      // Second loop, oldest to newest: q ← q + (αᵢ − βᵢ)sᵢ, fused with βᵢ₊₁ = ρᵢ₊₁yᵢ₊₁ᵀq.
      for (let i = 0; i < k - 1; i++) {
        const si = slot(i);
        const c = alpha[si]! - a;
        a = rho[slot(i + 1)]! * axpyDot(q, c, S[si]!, Y[slot(i + 1)]!, n);
      }
      const c = alpha[last]! - a;
      const s = S[last]!;
      for (let j = 0; j < n; j++) q[j] = -(q[j]! + c * s[j]!);
      return q;
    },
  };
}
