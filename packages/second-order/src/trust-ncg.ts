// Trust-region Newton with the Steihaug–Toint truncated CG subproblem solver (Steihaug 1983; Toint
// 1981; Nocedal & Wright, Numerical Optimization, Alg. 4.1 and 7.2): CG on the quadratic model
// stops at the trust-region boundary or along a direction of negative curvature.
import { ValueError } from "@x/tensor";
import { finitePoint, type Problem } from "./internal/problem.js";
import { Run } from "./internal/run.js";
import { axpy, cgStep, dot, norm2, scaled } from "./internal/vec.js";
import type { Hvp } from "./newton-cg.js";
import type { MinimizeOptions, MinimizeResult } from "./types.js";

/** τ ≥ 0 with ‖z + τd‖ = Δ. */
function toBoundary(z: Float64Array, d: Float64Array, delta: number): number {
  const a = dot(d, d);
  const b = 2 * dot(z, d);
  const c = dot(z, z) - delta * delta;
  return (-b + Math.sqrt(Math.max(0, b * b - 4 * a * c))) / (2 * a);
}

/** Steihaug CG for min gᵀp + ½pᵀBp, ‖p‖ ≤ Δ. Returns p and the model decrease −m(p). */
export function steihaugCg(
  hv: (v: Float64Array) => Float64Array,
  g: Float64Array,
  delta: number,
  tol: number,
  maxIter: number,
): { p: Float64Array; predicted: number; onBoundary: boolean } {
  const n = g.length;
  const z = new Float64Array(n);
  const r = Float64Array.from(g); // r = g + Bz
  const d = scaled(g, -1);
  let rr = dot(r, r);
  // m(z) = gᵀz + ½zᵀBz = ½(gᵀz + rᵀz) since Bz = r − g.
  const model = () => 0.5 * (dot(g, z) + dot(r, z));
  if (Math.sqrt(rr) <= tol) return { p: z, predicted: 0, onBoundary: false };
  for (let j = 0; j < maxIter; j++) {
    const Bd = hv(d);
    const dBd = dot(d, Bd);
    if (!(dBd > 0)) {
      const tau = toBoundary(z, d, delta);
      axpy(z, tau, d, z);
      axpy(r, tau, Bd, r);
      return { p: z, predicted: -model(), onBoundary: true };
    }
    const a = rr / dBd;
    // ‖z + a·d‖² from inner products, so the trial iterate is never materialised.
    const zz = dot(z, z);
    const zd = dot(z, d);
    const dd = dot(d, d);
    if (Math.sqrt(Math.max(0, zz + 2 * a * zd + a * a * dd)) >= delta) {
      const tau = toBoundary(z, d, delta);
      axpy(z, tau, d, z);
      axpy(r, tau, Bd, r);
      return { p: z, predicted: -model(), onBoundary: true };
    }
    const rrNew = cgStep(z, r, a, d, Bd);
    if (Math.sqrt(rrNew) <= tol) return { p: z, predicted: -model(), onBoundary: false };
    const beta = rrNew / rr;
    for (let i = 0; i < n; i++) d[i] = beta * d[i]! - r[i]!;
    rr = rrNew;
  }
  return { p: z, predicted: -model(), onBoundary: false };
}

export function trustNcg(P: Problem, hvp: Hvp, opts: MinimizeOptions): MinimizeResult {
  const run = new Run("minimize(trust-ncg)", P, opts);
  let delta = opts.initialTrustRadius ?? 1;
  const maxDelta = opts.maxTrustRadius ?? 1000;
  const eta = opts.eta ?? 0.15;
  if (!(delta > 0 && maxDelta >= delta)) {
    throw new ValueError(
      `minimize(trust-ncg): need 0 < initialTrustRadius ≤ maxTrustRadius, got ${delta}, ${maxDelta}`,
    );
  }
  if (!(eta >= 0 && eta < 0.25)) throw new ValueError(`minimize(trust-ncg): eta must be in [0, 0.25), got ${eta}`);
  const start = run.start();
  if (start.done) return start.done;
  let { x, f, g, message } = start;
  let rejected = 0;
  while (message === null) {
    const gn = norm2(g);
    const xk = x;
    const gk = g;
    const sub = steihaugCg((v) => hvp(xk, v, gk), g, delta, Math.min(0.5, Math.sqrt(gn)) * gn, 20 * P.n);
    const xt = axpy(x, 1, sub.p);
    const t = P.valueGrad(xt);
    const actual = f - t.f;
    const finite = finitePoint(t.f, t.g);
    // Near a minimiser both reductions sink to the rounding level of f and their ratio is noise, which used to shrink
    // the radius every iteration until the steps stalled (FC_SEED=1, 2851st case). As Conn, Gould & Toint (2000,
    // §17.4.2) advise, such a step counts as ρ = 1 when the gradient norm decreases, as ρ = 0 otherwise.
    const noise = 1e-15 * Math.abs(f);
    const atRounding = sub.predicted <= noise && Math.abs(actual) <= 4 * noise;
    // A non-finite trial counts as a failed step: shrink the region.
    const rho = !finite ? Number.NEGATIVE_INFINITY : atRounding ? (norm2(t.g) < gn ? 1 : 0) : actual / sub.predicted;
    if (rho < 0.25) delta *= 0.25;
    else if (rho > 0.75 && sub.onBoundary) delta = Math.min(2 * delta, maxDelta);
    if (rho > eta) {
      x = xt;
      f = t.f;
      g = t.g;
      rejected = 0;
      message = run.record(x, f, g);
    } else if (++rejected > 60 || delta < 1e-15 * (1 + norm2(x))) {
      message = finitePoint(t.f, t.g)
        ? "trust region collapsed: no step improves f (precision loss near a minimum?)"
        : "f or its gradient became non-finite and no finite step was found; returning the last good iterate";
    }
  }
  return run.result(x, f, g, message);
}
