// A differentiable quadratic-programming layer (OptNet: Amos & Kolter, ICML 2017):
//   z*(θ) = argmin ½zᵀQz + qᵀz  s.t.  Az = b,  Gz ≤ h,    θ = { Q, q, A, b, G, h }.
// Forward: a primal–dual interior-point method (Mehrotra-style path following without the corrector,
// Nocedal & Wright ch. 16.6) on dense KKT systems. Backward/forward derivatives: the implicit function
// theorem on the KKT conditions F(z, μ, ν; θ) = [Qz + q + Gᵀμ + Aᵀν; μ∘(Gz − h); Az − b] = 0 via
// customRoot (GMRES), which is exactly OptNet's differentiated KKT system.
import { solve } from "@x/linalg";
import {
  add,
  asTensor,
  concat,
  matmul,
  mul,
  ShapeError,
  slice,
  sub,
  type Tensor,
  type TensorLike,
  tensor,
  ValueError,
} from "@x/tensor";
import { customRoot, type RootFunction } from "../custom-root.js";
import type { LinearSolveInfo } from "../linear-solve.js";

export interface QpParams {
  Q: Tensor;
  q: Tensor;
  A: Tensor;
  b: Tensor;
  G: Tensor;
  h: Tensor;
}

export interface QpOptions {
  /** KKT residual / duality-gap tolerance of the interior point (default 1e-11). */
  tol?: number;
  /** Interior-point iterations (default 100). */
  maxIter?: number;
}

export interface QpLayer {
  /** z*(θ), differentiable in every parameter. Missing A/b or G/h mean no such constraints. */
  (params: { Q: TensorLike; q: TensorLike; A?: TensorLike; b?: TensorLike; G?: TensorLike; h?: TensorLike }): Tensor;
  /** Interior-point status of the last forward solve. */
  lastSolve: { converged: boolean; iterations: number; residual: number } | undefined;
  lastLinearSolve: (LinearSolveInfo & { mode: "vjp" | "jvp" }) | undefined;
  /** Multipliers of the last solve. */
  lastMultipliers: { ineq: Tensor; eq: Tensor } | undefined;
}

/** Dense primal–dual interior point for the QP; returns z, μ (ineq), ν (eq). */
export function solveQp(p: QpParams, options: QpOptions = {}) {
  const n = p.q.size;
  const me = p.b.size;
  const mi = p.h.size;
  const tol = options.tol ?? 1e-11;
  const maxIter = options.maxIter ?? 100;
  const Q = p.Q.data;
  const A = p.A.data;
  const G = p.G.data;
  let z = new Float64Array(n);
  let nu = new Float64Array(me);
  let mu = new Float64Array(mi).fill(1);
  let s = new Float64Array(mi).fill(1);
  const N = n + me + 2 * mi;
  const residuals = () => {
    const rd = Float64Array.from(p.q.data);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) rd[i]! += Q[i * n + j]! * z[j]!;
      for (let e = 0; e < me; e++) rd[i]! += A[e * n + i]! * nu[e]!;
      for (let c = 0; c < mi; c++) rd[i]! += G[c * n + i]! * mu[c]!;
    }
    const re = new Float64Array(me);
    for (let e = 0; e < me; e++) {
      re[e] = -p.b.data[e]!;
      for (let j = 0; j < n; j++) re[e]! += A[e * n + j]! * z[j]!;
    }
    const ri = new Float64Array(mi);
    for (let c = 0; c < mi; c++) {
      ri[c] = s[c]! - p.h.data[c]!;
      for (let j = 0; j < n; j++) ri[c]! += G[c * n + j]! * z[j]!;
    }
    return { rd, re, ri };
  };
  const inf = (a: Float64Array) => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  let it = 0;
  let res = Number.POSITIVE_INFINITY;
  for (; it <= maxIter; it++) {
    const { rd, re, ri } = residuals();
    const gap = mi > 0 ? s.reduce((a, v, c) => a + v * mu[c]!, 0) / mi : 0;
    res = Math.max(inf(rd), inf(re), inf(ri), gap);
    if (res <= tol || it === maxIter) break;
    const sigma = 0.1;
    // Newton system in (dz, dν, dμ, ds):  Q dz + Aᵀdν + Gᵀdμ = −rd;  A dz = −re;  G dz + ds = −ri;
    // S dμ + M ds = σ·gap − s∘μ.
    const K = new Float64Array(N * N);
    const rhs = new Float64Array(N);
    const oNu = n;
    const oMu = n + me;
    const oS = n + me + mi;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) K[i * N + j] = Q[i * n + j]!;
      for (let e = 0; e < me; e++) K[i * N + oNu + e] = A[e * n + i]!;
      for (let c = 0; c < mi; c++) K[i * N + oMu + c] = G[c * n + i]!;
      rhs[i] = -rd[i]!;
    }
    for (let e = 0; e < me; e++) {
      for (let j = 0; j < n; j++) K[(oNu + e) * N + j] = A[e * n + j]!;
      rhs[oNu + e] = -re[e]!;
    }
    for (let c = 0; c < mi; c++) {
      for (let j = 0; j < n; j++) K[(oMu + c) * N + j] = G[c * n + j]!;
      K[(oMu + c) * N + oS + c] = 1;
      rhs[oMu + c] = -ri[c]!;
      K[(oS + c) * N + oMu + c] = s[c]!;
      K[(oS + c) * N + oS + c] = mu[c]!;
      rhs[oS + c] = sigma * gap - s[c]! * mu[c]!;
    }
    const d = solve(tensor(K, [N, N]), tensor(rhs)).data;
    // Fraction to the boundary: keep s, μ strictly positive.
    let alpha = 1;
    for (let c = 0; c < mi; c++) {
      const dm = d[oMu + c]!;
      const ds = d[oS + c]!;
      if (dm < 0) alpha = Math.min(alpha, (-0.99 * mu[c]!) / dm);
      if (ds < 0) alpha = Math.min(alpha, (-0.99 * s[c]!) / ds);
    }
    z = z.map((v, i) => v + alpha * d[i]!);
    nu = nu.map((v, e) => v + alpha * d[oNu + e]!);
    mu = mu.map((v, c) => v + alpha * d[oMu + c]!);
    s = s.map((v, c) => v + alpha * d[oS + c]!);
  }
  return { z, mu, nu, converged: res <= tol, iterations: it, residual: res };
}

function normalise(params: Parameters<QpLayer>[0]): QpParams {
  const Q = asTensor(params.Q, "Q");
  const q = asTensor(params.q, "q");
  const n = q.size;
  if (q.rank !== 1) throw new ShapeError(`qpLayer: q must be a vector, got [${q.shape}]`);
  if (Q.rank !== 2 || Q.shape[0] !== n || Q.shape[1] !== n)
    throw new ShapeError(`qpLayer: Q must be ${n}×${n}, got [${Q.shape}]`);
  const pair = (M: TensorLike | undefined, v: TensorLike | undefined, mn: string, vn: string) => {
    if ((M === undefined) !== (v === undefined)) throw new ValueError(`qpLayer: give both ${mn} and ${vn} or neither`);
    const Mt = M === undefined ? tensor(new Float64Array(0), [0, n]) : asTensor(M, mn);
    const vt = v === undefined ? tensor(new Float64Array(0), [0]) : asTensor(v, vn);
    if (Mt.rank !== 2 || Mt.shape[1] !== n)
      throw new ShapeError(`qpLayer: ${mn} must have ${n} columns, got [${Mt.shape}]`);
    if (vt.rank !== 1 || vt.size !== Mt.shape[0]) {
      throw new ShapeError(`qpLayer: ${vn} must be a vector of ${Mt.shape[0]} entries, got [${vt.shape}]`);
    }
    return [Mt, vt] as const;
  };
  const [A, b] = pair(params.A, params.b, "A", "b");
  const [G, h] = pair(params.G, params.h, "G", "h");
  return { Q, q, A, b, G, h };
}

/** A QP layer: returns a function of the QP data whose output z* is differentiable (KKT implicit diff). */
export function qpLayer(options: QpOptions = {}): QpLayer {
  let root: RootFunction<QpParams> | undefined;
  let sizes = { n: 0, me: 0, mi: 0 };
  const layer = ((params) => {
    const p = normalise(params);
    sizes = { n: p.q.size, me: p.b.size, mi: p.h.size };
    const { n, me, mi } = sizes;
    // KKT residual in w = [z; μ; ν].
    const F = (w: Tensor, th: QpParams) => {
      const z = slice(w, [[0, n]]);
      const muv = slice(w, [[n, n + mi]]);
      const nuv = slice(w, [[n + mi, n + mi + me]]);
      const stat = add(add(add(matmul(th.Q, z), th.q), matmul(muv, th.G)), matmul(nuv, th.A));
      const comp = mul(muv, sub(matmul(th.G, z), th.h));
      const prim = sub(matmul(th.A, z), th.b);
      return concat([stat, comp, prim]);
    };
    root = customRoot(
      F,
      (_init, th) => {
        const r = solveQp(th, options);
        layer.lastMultipliers = { ineq: tensor(r.mu), eq: tensor(r.nu) };
        return {
          x: tensor(Float64Array.of(...r.z, ...r.mu, ...r.nu)),
          converged: r.converged,
          iterations: r.iterations,
          residual: r.residual,
        };
      },
      { solve: "gmres", tol: 1e-12, maxIter: 50 * (n + me + mi + 1) },
    );
    const w = root(tensor(new Float64Array(n + mi + me)), p);
    layer.lastSolve = root.lastSolve;
    Object.defineProperty(layer, "lastLinearSolve", { get: () => root?.lastLinearSolve, configurable: true });
    return slice(w, [[0, n]]);
  }) as QpLayer;
  layer.lastSolve = undefined;
  layer.lastMultipliers = undefined;
  return layer;
}
