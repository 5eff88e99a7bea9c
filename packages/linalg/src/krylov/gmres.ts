// Restarted GMRES(m): Saad & Schultz, "GMRES: a generalized minimal residual algorithm for solving
// nonsymmetric linear systems", SIAM J. Sci. Stat. Comput. 7(3), 1986. Arnoldi with modified Gram–Schmidt,
// the Hessenberg least-squares problem kept triangular by Givens rotations (so ‖r‖ is known every step).
import { type TensorLike, ValueError } from "@x/tensor";
import {
  dot,
  type IterativeOptions,
  type IterativeResult,
  nrm2,
  type OperatorLike,
  type Preconditioner,
  report,
  residual,
  result,
} from "./as-operator.js";
import { krylovProblem } from "./common.js";

export interface GmresOptions extends IterativeOptions {
  /** Krylov dimension before a restart (default min(20, n)). */
  restart?: number;
  /** Preconditioner approximating A⁻¹. */
  M?: Preconditioner;
  /**
   * "right" (default): solve A M u = b, x = M u; residualNorms are ‖b − A x‖₂.
   * "left": solve M A x = M b; residualNorms and the stopping test use ‖M (b − A x)‖₂ and ‖M b‖₂.
   */
  side?: "left" | "right";
}

/**
 * Solves A x = b for a general square A. maxIter (default 10·n) counts inner (Arnoldi) steps over all restarts.
 * Converged when the true residual (recomputed at every restart) is ≤ max(tol·‖b‖, atol).
 */
export function gmres(A: OperatorLike, b: TensorLike, options: GmresOptions = {}): IterativeResult {
  const s = krylovProblem(A, b, options, "gmres", { M: options.M });
  const { n, tol, atol, maxIter, apply, prec, x } = s;
  const m = options.restart ?? Math.max(1, Math.min(20, n));
  if (!Number.isInteger(m) || m < 1) throw new ValueError(`gmres: restart must be a positive integer, got ${m}`);
  const side = options.side ?? "right";
  if (side !== "left" && side !== "right") throw new ValueError(`gmres: side must be "left" or "right", got ${side}`);
  if (nrm2(s.b) === 0 && options.x0 === undefined) return result(x, true, 0, [0]);
  const bnorm = side === "left" ? nrm2(prec(s.b)) : nrm2(s.b);
  const target = Math.max(tol * bnorm, atol);
  const op = side === "left" ? (v: Float64Array) => prec(apply(v)) : (v: Float64Array) => apply(prec(v));

  const V: Float64Array[] = [];
  const H = Array.from({ length: m + 1 }, () => new Float64Array(m));
  const cs = new Float64Array(m);
  const sn = new Float64Array(m);
  const g = new Float64Array(m + 1);
  const norms: number[] = [];
  let total = 0;
  for (;;) {
    let r = residual(apply, x, s.b);
    if (side === "left") r = Float64Array.from(prec(r));
    const beta = nrm2(r);
    // The true residual replaces the recurrence's estimate for the same iterate.
    if (norms.length === 0) norms.push(beta);
    else norms[norms.length - 1] = beta;
    if (!Number.isFinite(beta)) return result(x, false, total, norms, "gmres: residual is not finite");
    if (beta <= target) return result(x, true, total, norms);
    if (total >= maxIter) return result(x, false, total, norms);
    V.length = 0;
    V.push(r.map((t) => t / beta));
    g.fill(0);
    g[0] = beta;
    let j = 0;
    let done = false;
    for (; j < m && total < maxIter; ) {
      const w = Float64Array.from(op(V[j]!));
      // Modified Gram–Schmidt, with one re-orthogonalisation pass when cancellation is severe (Kahan's twice).
      const w0 = nrm2(w);
      for (let i = 0; i <= j; i++) {
        const h = dot(w, V[i]!);
        H[i]![j] = h;
        const vi = V[i]!;
        for (let t = 0; t < n; t++) w[t]! -= h * vi[t]!;
      }
      let hn = nrm2(w);
      if (hn < 0.7 * w0) {
        for (let i = 0; i <= j; i++) {
          const h = dot(w, V[i]!);
          H[i]![j]! += h;
          const vi = V[i]!;
          for (let t = 0; t < n; t++) w[t]! -= h * vi[t]!;
        }
        hn = nrm2(w);
      }
      H[j + 1]![j] = hn;
      for (let i = 0; i < j; i++) {
        const a = H[i]![j]!;
        const c = H[i + 1]![j]!;
        H[i]![j] = cs[i]! * a + sn[i]! * c;
        H[i + 1]![j] = -sn[i]! * a + cs[i]! * c;
      }
      const a = H[j]![j]!;
      const rho = Math.hypot(a, hn);
      cs[j] = rho === 0 ? 1 : a / rho;
      sn[j] = rho === 0 ? 0 : hn / rho;
      H[j]![j] = rho;
      H[j + 1]![j] = 0;
      g[j + 1] = -sn[j]! * g[j]!;
      g[j] = cs[j]! * g[j]!;
      j++;
      total++;
      const est = Math.abs(g[j]!);
      norms.push(est);
      // A NaN/Inf from A or M: keep the last finite iterate instead of spreading NaN into x.
      if (!Number.isFinite(est)) return result(x, false, total, norms, "gmres: non-finite residual (check A and M)");
      if (options.callback) {
        const xc = Float64Array.from(x);
        update(xc, j);
        report(options.callback, total, est, xc);
      }
      // Happy breakdown (hn ≈ 0): the Krylov space is invariant and the projected solution is exact.
      if (est <= target || hn <= Number.EPSILON * w0) {
        done = true;
        break;
      }
      V.push(w.map((t) => t / hn));
    }
    update(x, j);
    if (!done && total >= maxIter) {
      // Report the true residual of the final iterate.
      let r2 = residual(apply, x, s.b);
      if (side === "left") r2 = Float64Array.from(prec(r2));
      const rn = nrm2(r2);
      norms[norms.length - 1] = rn;
      return result(x, rn <= target, total, norms);
    }
  }

  // x += (M) V_j y with y solving the j×j triangular system R y = g.
  function update(xx: Float64Array, j: number): void {
    if (j === 0) return;
    const yv = new Float64Array(j);
    for (let i = j - 1; i >= 0; i--) {
      let t = g[i]!;
      for (let k = i + 1; k < j; k++) t -= H[i]![k]! * yv[k]!;
      const d = H[i]![i]!;
      yv[i] = d === 0 ? 0 : t / d;
    }
    const dx = new Float64Array(n);
    for (let k = 0; k < j; k++) {
      const vk = V[k]!;
      const c = yv[k]!;
      for (let t = 0; t < n; t++) dx[t]! += c * vk[t]!;
    }
    const step = side === "right" ? prec(dx) : dx;
    for (let t = 0; t < n; t++) xx[t]! += step[t]!;
  }
}
