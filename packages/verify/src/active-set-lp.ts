// Small dense linear programs min c·z s.t. G z ≤ h in a few variables (d ≲ 10) with many constraints, solved from a
// feasible point by the primal active-set method in inequality form — the simplex method on the dual, as in
// Goldfarb & Idnani's / Fletcher's "Practical Methods of Optimization" §8.3 for LP. The working set always holds d
// rows; it starts with d "virtual" rows zₖ = z0ₖ (free multipliers, dropped once and never re-entered), so no phase 1
// is needed when a feasible z0 is known. The inverse of the working-set matrix is kept by Sherman–Morrison row
// replacements (d ≤ 10: no factorisation worth the name); Bland's rule on degenerate steps prevents cycling.
import { ValueError } from "@x/tensor";

export interface ActiveSetLpOptions {
  maxIter?: number;
  /** feasibility / optimality tolerance on unit-normalised rows (default 1e-10) */
  tol?: number;
}

export interface ActiveSetLpResult {
  z: Float64Array;
  value: number;
  /** optimal: every multiplier ≥ −tol; unbounded: a descent ray no row blocks; maxIter: stopped early (z feasible) */
  status: "optimal" | "unbounded" | "maxIter";
  converged: boolean;
  iterations: number;
  /** the rows of G in the final working set (−1 for a virtual row still there) and their multipliers λ ≥ 0 */
  active: Int32Array;
  multipliers: Float64Array;
}

/**
 * min c·z s.t. G z ≤ h (G row-major m×d), starting from z0, which should be feasible (rows it violates by more than
 * `tol` are treated as active: the method never moves further out of them).
 */
export function activeSetLp(
  c: ArrayLike<number>,
  G: Float64Array,
  h: Float64Array,
  z0: ArrayLike<number>,
  opts: ActiveSetLpOptions = {},
): ActiveSetLpResult {
  const d = c.length;
  const m = h.length;
  if (d === 0 || z0.length !== d) throw new ValueError(`activeSetLp: c has ${d} entries and z0 ${z0.length}`);
  if (G.length !== m * d) throw new ValueError(`activeSetLp: G has ${G.length} entries, expected ${m}×${d}`);
  const maxIter = opts.maxIter ?? 50 * (m + d);
  const tol = opts.tol ?? 1e-10;
  // unit-normalised rows so that one tolerance fits every row
  const g = new Float64Array(m * d);
  const hn = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += G[i * d + j]! ** 2;
    const nrm = Math.sqrt(s);
    const sc = nrm > 0 ? 1 / nrm : 0;
    for (let j = 0; j < d; j++) g[i * d + j] = G[i * d + j]! * sc;
    hn[i] = nrm > 0 ? h[i]! * sc : h[i]! >= 0 ? 0 : -1;
  }
  const z = Float64Array.from(z0);
  // working set: basis[q] = row index, or −1 − k for the virtual row eₖ·z = z0ₖ; Binv = (rows of the working set)⁻¹
  const basis = new Int32Array(d);
  const Binv = new Float64Array(d * d);
  for (let q = 0; q < d; q++) {
    basis[q] = -1 - q;
    Binv[q * d + q] = 1;
  }
  const inBasis = new Uint8Array(m);
  const lambda = new Float64Array(d);
  const p = new Float64Array(d);
  const u = new Float64Array(d);
  const row = new Float64Array(d);
  let status: ActiveSetLpResult["status"] = "maxIter";
  let it = 0;
  for (; it < maxIter; it++) {
    // multipliers: c + Bᵀλ = 0 → λ = −B⁻ᵀc, λ_q = −Σⱼ cⱼ Binv[j][q]
    for (let q = 0; q < d; q++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += c[j]! * Binv[j * d + q]!;
      lambda[q] = -s;
    }
    // leaving row: a virtual row with a non-zero multiplier first (largest |λ|), else the first (Bland) real row
    // with λ < −tol; none left → optimal
    let q = -1;
    let best = tol;
    for (let k = 0; k < d; k++)
      if (basis[k]! < 0 && Math.abs(lambda[k]!) > best) {
        best = Math.abs(lambda[k]!);
        q = k;
      }
    if (q < 0) {
      let idx = m;
      for (let k = 0; k < d; k++)
        if (basis[k]! >= 0 && lambda[k]! < -tol && basis[k]! < idx) {
          idx = basis[k]!;
          q = k;
        }
    }
    if (q < 0) {
      status = "optimal";
      break;
    }
    // direction: keep the other working rows active, move off row q the way that lowers c·z
    const sigma = lambda[q]! > 0 ? 1 : -1;
    let pn = 0;
    for (let j = 0; j < d; j++) {
      p[j] = sigma * Binv[j * d + q]!;
      pn = Math.max(pn, Math.abs(p[j]!));
    }
    // ratio test over the rows outside the working set (ties: smallest index)
    let enter = -1;
    let alpha = Number.POSITIVE_INFINITY;
    let sEnter = 0;
    for (let i = 0; i < m; i++) {
      if (inBasis[i]) continue;
      let s = 0;
      let gz = 0;
      for (let j = 0; j < d; j++) {
        s += g[i * d + j]! * p[j]!;
        gz += g[i * d + j]! * z[j]!;
      }
      if (!(s > tol * pn)) continue;
      const a = Math.max(0, hn[i]! - gz) / s;
      if (a < alpha) {
        alpha = a;
        enter = i;
        sEnter = s;
      }
    }
    if (enter < 0) {
      status = "unbounded";
      break;
    }
    for (let j = 0; j < d; j++) z[j] = z[j]! + alpha * p[j]!;
    // replace working row q by row `enter`: B' = B + e_q·(g_e − g_q)ᵀ, so
    // B'⁻¹ = B⁻¹ − (B⁻¹e_q)(uᵀB⁻¹)/(1 + uᵀB⁻¹e_q) with u = g_e − g_q and 1 + uᵀB⁻¹e_q = g_e·B⁻¹e_q = sEnter/σ
    const old = basis[q]!;
    for (let j = 0; j < d; j++) row[j] = old >= 0 ? g[old * d + j]! : j === -1 - old ? 1 : 0;
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += (g[enter * d + k]! - row[k]!) * Binv[k * d + j]!;
      u[j] = s;
    }
    const den = sEnter / sigma;
    for (let j = 0; j < d; j++) {
      const bq = Binv[j * d + q]! / den;
      if (bq === 0) continue;
      for (let k = 0; k < d; k++) Binv[j * d + k] = Binv[j * d + k]! - bq * u[k]!;
    }
    if (old >= 0) inBasis[old] = 0;
    inBasis[enter] = 1;
    basis[q] = enter;
  }
  let value = 0;
  for (let j = 0; j < d; j++) value += c[j]! * z[j]!;
  const multipliers = new Float64Array(d);
  for (let q = 0; q < d; q++) multipliers[q] = Math.max(0, lambda[q]!);
  const active = Int32Array.from(basis, (b) => (b >= 0 ? b : -1));
  return { z, value, status, converged: status === "optimal", iterations: it, active, multipliers };
}
