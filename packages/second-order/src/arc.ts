// Adaptive cubic regularisation, ARC (Cartis, Gould & Toint, Math. Program. 127, 2011, Alg. 2.1):
// each step minimises the cubic model m(s) = gᵀs + ½sᵀBs + (σ/3)‖s‖³ and adapts σ from the ratio of actual
// to predicted decrease. With `lazyHessian: m` the Hessian B is evaluated only every m steps and reused in
// between (Doikov, Chayti & Jaggi, "Second-order optimization with lazy Hessians", ICML 2023), which keeps
// the global rates while cutting Hessian cost by ≈ m.
// Subproblem: 'eigh' — B = QΛQᵀ once per Hessian, then the secular equation ‖s(λ)‖ = λ/σ with
// s(λ) = −(B + λI)⁻¹g for λ ≥ max(0, −λ_min) (CGT §6.1, with the "hard case"), so a lazy step costs O(n²);
// 'lanczos' — matrix-free: the same equation on the Lanczos tridiagonal T_k of B built from g (CGT §6.2,
// the GLRT idea), stopped when the model gradient β_{k+1}|y_k| ≤ θ·min(1, ‖s‖)·‖g‖.
import { eigh } from "@x/linalg";
import { fromData, ValueError } from "@x/tensor";
import { finitePoint, type Problem } from "./internal/problem.js";
import { Run } from "./internal/run.js";
import { dot, norm2 } from "./internal/vec.js";
import { denseHessian } from "./newton.js";
import type { Hvp } from "./newton-cg.js";
import type { MinimizeOptions, MinimizeResult } from "./types.js";

export interface CubicStep {
  s: Float64Array;
  /** m(s) − m(0) = gᵀs + ½sᵀBs + (σ/3)‖s‖³ (≤ 0). */
  model: number;
}

/** Eigendecomposition (ascending values, eigenvectors as columns, row-major) of a symmetric k×k matrix. */
function eig(M: Float64Array, k: number): { w: Float64Array; V: Float64Array } {
  const { values, vectors } = eigh(fromData(M, [k, k]));
  return { w: Float64Array.from(values.data), V: Float64Array.from(vectors.data) };
}

/**
 * Global minimiser of gᵀs + ½sᵀBs + (σ/3)‖s‖³ given B = V diag(w) Vᵀ (w ascending): s = −(B + λI)⁻¹g with
 * λ = σ‖s‖ and B + λI ⪰ 0 (Cartis, Gould & Toint 2011, Thm 3.1). Returns the step in the original basis.
 */
export function cubicSubproblemEig(w: Float64Array, V: Float64Array, g: Float64Array, sigma: number): CubicStep {
  const n = w.length;
  const gam = new Float64Array(n); // Vᵀg
  for (let t = 0; t < n; t++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += V[i * n + t]! * g[i]!;
    gam[t] = s;
  }
  const gn = norm2(g);
  const lo = Math.max(0, -w[0]!);
  // Work with δ = λ − lo and base_t = w_t + lo ≥ 0 (= w_t − w_0 when lo = −w_0, exact for close eigenvalues),
  // so w_t + λ = base_t + δ has no cancellation even when the root is within 1e-8 of −λ_min.
  const base = w.map((v) => (lo > 0 ? v - w[0]! : v));
  const ns = (delta: number) => {
    let s = 0;
    for (let t = 0; t < n; t++) if (gam[t] !== 0) s += (gam[t]! / (base[t]! + delta)) ** 2;
    return Math.sqrt(s);
  };
  const y = new Float64Array(n);
  let lam = lo;
  // Hard case: g has (numerically) no component along the eigenvectors of λ_min < 0, and even at λ = −λ_min
  // the step is shorter than λ/σ — then λ = −λ_min and the step gets a component along those eigenvectors.
  const tiny = 1e-14 * Math.max(1, Math.abs(w[n - 1]!), Math.abs(w[0]!));
  let hard = false;
  if (lo > 0) {
    let along = 0;
    for (let t = 0; t < n && base[t]! <= tiny; t++) along += gam[t]! ** 2;
    if (Math.sqrt(along) <= 1e-12 * Math.max(gn, 1e-300)) {
      let rest = 0;
      for (let t = 0; t < n; t++) if (base[t]! > tiny) rest += (gam[t]! / base[t]!) ** 2;
      if (Math.sqrt(rest) <= lo / sigma) hard = true;
    }
  }
  if (!hard) {
    // h(δ) = ‖s(lo + δ)‖ − (lo + δ)/σ decreases strictly on (0, ∞): bracket its root, then bisect to full
    // relative precision in δ.
    const h = (d: number) => ns(d) - (lo + d) / sigma;
    let a = 0;
    let b = Math.max(1e-12, Math.sqrt(sigma * gn), gn);
    while (h(b) > 0) b *= 2;
    for (let it = 0; it < 400 && b - a > 1e-15 * b; it++) {
      const m = 0.5 * (a + b);
      if (m <= a || m >= b) break;
      if (h(m) > 0) a = m;
      else b = m;
    }
    lam = lo + b;
    for (let t = 0; t < n; t++) y[t] = gam[t] === 0 ? 0 : -gam[t]! / (base[t]! + b);
    // δ below the float range: finish as the hard case.
    if (lo > 0 && Math.abs(norm2(y) - lam / sigma) > 1e-8 * (lam / sigma)) hard = true;
  }
  if (hard) {
    lam = lo;
    let len2 = 0;
    y.fill(0);
    for (let t = 0; t < n; t++) {
      if (base[t]! > tiny) {
        y[t] = -gam[t]! / base[t]!;
        len2 += y[t]! ** 2;
      }
    }
    // Along the λ_min eigenvector, with the sign that keeps gᵀs ≤ 0.
    y[0] = (gam[0]! > 0 ? -1 : 1) * Math.sqrt(Math.max(0, (lam / sigma) ** 2 - len2));
  }
  const s = new Float64Array(n);
  let quad = 0;
  let lin = 0;
  for (let t = 0; t < n; t++) {
    quad += w[t]! * y[t]! ** 2;
    lin += gam[t]! * y[t]!;
    const yt = y[t]!;
    if (yt !== 0) for (let i = 0; i < n; i++) s[i]! += V[i * n + t]! * yt;
  }
  const len = norm2(y);
  return { s, model: lin + 0.5 * quad + (sigma / 3) * len ** 3 };
}

/**
 * Matrix-free cubic subproblem by Lanczos: minimises the model over the Krylov space K_k(B, g), growing k
 * until the full model gradient β_{k+1}|y_k| ≤ θ·min(1, ‖s‖)·‖g‖ (or k = maxIter, or breakdown).
 */
export function cubicSubproblemLanczos(
  hv: (v: Float64Array) => Float64Array,
  g: Float64Array,
  sigma: number,
  theta = 0.1,
  maxIter = 100,
): CubicStep & { iterations: number } {
  const n = g.length;
  const gn = norm2(g);
  const Q: Float64Array[] = [];
  const alpha: number[] = [];
  const beta: number[] = [];
  let q = Float64Array.from(g, (v) => v / gn);
  let nextSolve = 1;
  const kmax = Math.min(n, maxIter);
  for (let k = 0; k < kmax; k++) {
    Q.push(q);
    const u = hv(q);
    const a = dot(q, u);
    alpha.push(a);
    for (let i = 0; i < n; i++) u[i]! -= a * q[i]! + (k > 0 ? beta[k - 1]! * Q[k - 1]![i]! : 0);
    // Full reorthogonalisation: the Krylov spaces stay small and this keeps T_k faithful.
    for (const qj of Q) {
      const c = dot(qj, u);
      for (let i = 0; i < n; i++) u[i]! -= c * qj[i]!;
    }
    const b = norm2(u);
    const m = k + 1;
    // Solving the projected problem costs an O(m³) eigh; do it on a geometric schedule of m (and at the end).
    if (m >= nextSolve || b <= 1e-14 * Math.max(Math.abs(a), ...beta.map(Math.abs), 1e-300) || m === kmax) {
      nextSolve = Math.max(m + 1, Math.ceil(1.3 * m));
    } else {
      beta.push(b);
      q = Float64Array.from(u, (v) => v / b);
      continue;
    }
    // Solve the projected problem on T_k (k+1 × k+1 tridiagonal) with the dense eigen solver.
    const T = new Float64Array(m * m);
    for (let i = 0; i < m; i++) {
      T[i * m + i] = alpha[i]!;
      if (i + 1 < m) {
        T[i * m + i + 1] = beta[i]!;
        T[(i + 1) * m + i] = beta[i]!;
      }
    }
    const e = new Float64Array(m);
    e[0] = gn;
    const { w, V } = eig(T, m);
    const sub = cubicSubproblemEig(w, V, e, sigma);
    const y = sub.s;
    const ylen = norm2(y);
    const done =
      b * Math.abs(y[m - 1]!) <= theta * Math.min(1, ylen) * gn ||
      b <= 1e-14 * Math.max(Math.abs(a), ...beta.map(Math.abs), 1e-300) ||
      k + 1 === kmax;
    if (done) {
      const s = new Float64Array(n);
      for (let j = 0; j < m; j++) {
        const qj = Q[j]!;
        const yj = y[j]!;
        for (let i = 0; i < n; i++) s[i]! += yj * qj[i]!;
      }
      return { s, model: sub.model, iterations: m };
    }
    beta.push(b);
    q = Float64Array.from(u, (v) => v / b);
  }
  // Unreachable: the loop returns at k + 1 = kmax at the latest.
  return { s: new Float64Array(n), model: 0, iterations: 0 };
}

export function arc(P: Problem, hvp: Hvp, opts: MinimizeOptions): MinimizeResult {
  const fn = "minimize(arc)";
  const run = new Run(fn, P, opts);
  const lazy = opts.lazyHessian ?? 1;
  if (!(Number.isInteger(lazy) && lazy >= 1)) {
    throw new ValueError(`${fn}: lazyHessian must be an integer ≥ 1 (steps per Hessian), got ${opts.lazyHessian}`);
  }
  let sigma = opts.initialSigma ?? 1;
  if (!(sigma > 0 && Number.isFinite(sigma))) {
    throw new ValueError(`${fn}: initialSigma must be a positive number, got ${opts.initialSigma}`);
  }
  const mode = opts.subproblem ?? (P.n <= 200 ? "eigh" : "lanczos");
  if (mode !== "eigh" && mode !== "lanczos") {
    throw new ValueError(`${fn}: subproblem must be 'eigh' or 'lanczos', got '${String(mode)}'`);
  }
  const eta1 = 0.1;
  const eta2 = 0.9;
  const sigmaMin = 1e-8;
  const start = run.start();
  if (start.done) return start.done;
  let { x, f, g, message } = start;
  // The Hessian snapshot: its eigendecomposition ('eigh') or the point and gradient where HVPs are taken.
  let snap: { w: Float64Array; V: Float64Array } | null = null;
  let snapX = x;
  let snapG = g;
  let hessians = 0;
  let stale = true;
  let accepted = 0;
  let rejected = 0;
  while (message === null) {
    if (stale) {
      // A new Hessian: every `lazy` accepted steps (rejected steps do not move x, so they keep it).
      snapX = x;
      snapG = g;
      hessians++;
      if (mode === "eigh") snap = eig(denseHessian(hvp, x, g), P.n);
      stale = false;
    }
    const step =
      mode === "eigh"
        ? cubicSubproblemEig(snap!.w, snap!.V, g, sigma)
        : cubicSubproblemLanczos((v) => hvp(snapX, v, snapG), g, sigma);
    const pred = -step.model;
    const xt = new Float64Array(P.n);
    for (let i = 0; i < P.n; i++) xt[i] = x[i]! + step.s[i]!;
    const t = P.valueGrad(xt);
    const ok = finitePoint(t.f, t.g);
    const actual = f - t.f;
    const rho = ok && pred > 0 ? actual / pred : ok && actual >= 0 && pred <= 0 ? 1 : Number.NEGATIVE_INFINITY;
    // Near a minimiser f stops resolving decreases: accept a step whose predicted decrease is lost in rounding.
    const roundoff = ok && pred <= 1e-15 * Math.abs(f) && actual >= 0;
    if (rho >= eta1 || roundoff) {
      x = xt;
      f = t.f;
      g = t.g;
      rejected = 0;
      if (rho >= eta2) sigma = Math.max(sigma / 2, sigmaMin);
      if (++accepted % lazy === 0) stale = true;
      message = run.record(x, f, g);
    } else {
      sigma *= 2;
      if (++rejected > 80 || !(sigma < 1e300)) {
        message = ok
          ? "regularisation grew without an acceptable step (precision loss near a minimum?)"
          : "f or its gradient became non-finite and no finite step was found; returning the last good iterate";
      }
    }
  }
  const res = run.result(x, f, g, message);
  // 'eigh' reports Hessian evaluations (each built from n HVPs); 'lanczos' reports HVPs, like newton-cg.
  if (mode === "eigh") res.nhev = hessians;
  return res;
}
